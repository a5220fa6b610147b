using Microsoft.EntityFrameworkCore;
using Truust.Api.Persistence.Records;
using Truust.Domain.Banking;
using Truust.Domain.Campaigns;
using Truust.Domain.Customers;
using Truust.Domain.Disputes;
using Truust.Domain.Events;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using Truust.Domain.Platforms;
using Truust.Domain.Wallets;
using Truust.Domain.Webhooks;

namespace Truust.Api.Persistence;

/// <summary>
/// Truust's own tables. Each entity's mapping lives next to its feature (<c>Orders/OrderConfiguration.cs</c>, ...);
/// changes commit through <see cref="UnitOfWork"/>, never through SaveChanges called here and there.
/// </summary>
public sealed class TruustDbContext(DbContextOptions<TruustDbContext> options) : DbContext(options)
{
    /// <summary>The sequence that numbers ledger postings (see <see cref="LedgerTransfer.PostingSequence"/>).</summary>
    public const string LedgerPostingSequence = "ledger_posting_seq";

    public DbSet<Platform> Platforms => Set<Platform>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<BankAccount> BankAccounts => Set<BankAccount>();

    public DbSet<Wallet> Wallets => Set<Wallet>();

    /// <summary>The credit sub-accounts of fee wallets: written only by <see cref="DeferredWalletPostings"/>.</summary>
    public DbSet<WalletCreditShard> WalletCreditShards => Set<WalletCreditShard>();

    public DbSet<LedgerTransfer> LedgerTransfers => Set<LedgerTransfer>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderStatusChange> OrderStatusChanges => Set<OrderStatusChange>();

    public DbSet<OrderSplit> OrderSplits => Set<OrderSplit>();

    public DbSet<Milestone> Milestones => Set<Milestone>();

    public DbSet<OrderGroup> OrderGroups => Set<OrderGroup>();

    public DbSet<WalletTransfer> WalletTransfers => Set<WalletTransfer>();

    public DbSet<Event> Events => Set<Event>();

    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<Campaign> Campaigns => Set<Campaign>();

    public DbSet<CampaignStatusChange> CampaignStatusChanges => Set<CampaignStatusChange>();

    public DbSet<Contribution> Contributions => Set<Contribution>();

    public DbSet<Instalment> Instalments => Set<Instalment>();

    public DbSet<Repayment> Repayments => Set<Repayment>();

    public DbSet<RepaymentShare> RepaymentShares => Set<RepaymentShare>();

    public DbSet<Payin> Payins => Set<Payin>();

    public DbSet<Payout> Payouts => Set<Payout>();

    public DbSet<Refund> Refunds => Set<Refund>();

    public DbSet<IncomingWire> IncomingWires => Set<IncomingWire>();

    public DbSet<Dispute> Disputes => Set<Dispute>();

    public DbSet<SellerDebt> SellerDebts => Set<SellerDebt>();

    public DbSet<ReserveHold> ReserveHolds => Set<ReserveHold>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        StoredByName<OrderStatus>(builder);
        StoredByName<MilestoneStatus>(builder);
        StoredByName<OrderTrigger>(builder);
        StoredByName<OrderActor>(builder);
        StoredByName<CustomerType>(builder);
        StoredByName<WalletKind>(builder);
        StoredByName<TransferKind>(builder);
        StoredByName<PayinType>(builder);
        StoredByName<PayinStatus>(builder);
        StoredByName<PayinPurpose>(builder);
        StoredByName<PayoutType>(builder);
        StoredByName<PayoutStatus>(builder);
        StoredByName<WebhookEndpointStatus>(builder);
        StoredByName<WebhookDeliveryStatus>(builder);
        StoredByName<CampaignKind>(builder);
        StoredByName<CampaignMode>(builder);
        StoredByName<CampaignStatus>(builder);
        StoredByName<CampaignTrigger>(builder);
        StoredByName<CampaignActor>(builder);
        StoredByName<ContributionStatus>(builder);
        StoredByName<RefundStatus>(builder);
        StoredByName<SilenceWinner>(builder);
        StoredByName<DisputeStatus>(builder);
        StoredByName<SellerAnswer>(builder);
        StoredByName<SellerDebtStatus>(builder);
        StoredByName<ReserveHoldStatus>(builder);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        // Trigram indexes answer the dashboard's "name contains" search without scanning every order.
        model.HasPostgresExtension("pg_trgm");
        model.HasSequence<long>(LedgerPostingSequence);
        model.ApplyConfigurationsFromAssembly(typeof(TruustDbContext).Assembly);
    }

    /// <summary>Stores <typeparamref name="TEnum"/> by its wire name (see
    /// <see cref="Truust.Domain.WireName"/>).</summary>
    private static void StoredByName<TEnum>(ModelConfigurationBuilder builder)
        where TEnum : struct, Enum =>
        builder.Properties<TEnum>().HaveConversion<UpperSnakeEnumConverter<TEnum>>().HaveMaxLength(32);
}
