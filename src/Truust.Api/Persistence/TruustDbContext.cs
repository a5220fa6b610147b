using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Api.Gateways.Simulated;
using Truust.Api.Persistence.Records;
using Truust.Api.Platforms;
using Truust.Api.Webhooks;
using Truust.Domain.Campaigns;
using Truust.Domain.Customers;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using Truust.Domain.Platforms;
using Truust.Domain.Wallets;

namespace Truust.Api.Persistence;

/// <summary>The unit of work: application services load, change and commit through it with one SaveChanges.</summary>
public sealed class TruustDbContext(DbContextOptions<TruustDbContext> options) : DbContext(options)
{
    /// <summary>The sequence that numbers ledger postings (see <see cref="LedgerTransfer.PostingSequence"/>).</summary>
    public const string LedgerPostingSequence = "ledger_posting_seq";

    public DbSet<Platform> Platforms => Set<Platform>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<BankAccount> BankAccounts => Set<BankAccount>();

    public DbSet<Wallet> Wallets => Set<Wallet>();

    public DbSet<LedgerTransfer> LedgerTransfers => Set<LedgerTransfer>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderStatusChange> OrderStatusChanges => Set<OrderStatusChange>();

    public DbSet<OrderSplit> OrderSplits => Set<OrderSplit>();

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

    public DbSet<SimulatedCardCharge> SimulatedCardCharges => Set<SimulatedCardCharge>();

    public DbSet<SimulatedCardRefund> SimulatedCardRefunds => Set<SimulatedCardRefund>();

    public DbSet<SimulatedBankTransfer> SimulatedBankTransfers => Set<SimulatedBankTransfer>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        builder.Properties<OrderStatus>().HaveConversion<UpperSnakeEnumConverter<OrderStatus>>().HaveMaxLength(32);
        builder.Properties<OrderTrigger>().HaveConversion<UpperSnakeEnumConverter<OrderTrigger>>().HaveMaxLength(32);
        builder.Properties<OrderActor>().HaveConversion<UpperSnakeEnumConverter<OrderActor>>().HaveMaxLength(32);
        builder.Properties<CustomerType>().HaveConversion<UpperSnakeEnumConverter<CustomerType>>().HaveMaxLength(32);
        builder.Properties<WalletKind>().HaveConversion<UpperSnakeEnumConverter<WalletKind>>().HaveMaxLength(32);
        builder.Properties<TransferKind>().HaveConversion<UpperSnakeEnumConverter<TransferKind>>().HaveMaxLength(32);
        builder.Properties<PayinType>().HaveConversion<UpperSnakeEnumConverter<PayinType>>().HaveMaxLength(32);
        builder.Properties<PayinStatus>().HaveConversion<UpperSnakeEnumConverter<PayinStatus>>().HaveMaxLength(32);
        builder.Properties<PayinPurpose>().HaveConversion<UpperSnakeEnumConverter<PayinPurpose>>().HaveMaxLength(32);
        builder.Properties<PayoutType>().HaveConversion<UpperSnakeEnumConverter<PayoutType>>().HaveMaxLength(32);
        builder.Properties<PayoutStatus>().HaveConversion<UpperSnakeEnumConverter<PayoutStatus>>().HaveMaxLength(32);
        builder
            .Properties<WebhookEndpointStatus>()
            .HaveConversion<UpperSnakeEnumConverter<WebhookEndpointStatus>>()
            .HaveMaxLength(32);
        builder
            .Properties<WebhookDeliveryStatus>()
            .HaveConversion<UpperSnakeEnumConverter<WebhookDeliveryStatus>>()
            .HaveMaxLength(32);
        builder.Properties<CampaignKind>().HaveConversion<UpperSnakeEnumConverter<CampaignKind>>().HaveMaxLength(32);
        builder.Properties<CampaignMode>().HaveConversion<UpperSnakeEnumConverter<CampaignMode>>().HaveMaxLength(32);
        builder
            .Properties<CampaignStatus>()
            .HaveConversion<UpperSnakeEnumConverter<CampaignStatus>>()
            .HaveMaxLength(32);
        builder
            .Properties<ContributionStatus>()
            .HaveConversion<UpperSnakeEnumConverter<ContributionStatus>>()
            .HaveMaxLength(32);
        builder.Properties<RefundStatus>().HaveConversion<UpperSnakeEnumConverter<RefundStatus>>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        // Trigram indexes answer the dashboard's "name contains" search without scanning every order.
        model.HasPostgresExtension("pg_trgm");
        model.Entity<Platform>(b =>
        {
            b.HasKey(p => p.Id);
            b.Property(p => p.Name).HasMaxLength(200);
            b.ToTable(t =>
                t.HasCheckConstraint("ck_platforms_fees_non_negative", "fee_percent_bp >= 0 AND fee_fixed_minor >= 0")
            );
        });

        model.Entity<ApiKey>(b =>
        {
            b.HasKey(k => k.Id);
            b.HasIndex(k => k.Hash).IsUnique();
            b.HasOne<Platform>().WithMany().HasForeignKey(k => k.PlatformId);
        });

        model.Entity<Customer>(b =>
        {
            b.HasKey(c => c.Id);
            Metadata(b.Property(c => c.Metadata));
            b.HasIndex(c => new { c.PlatformId, c.Id });
            b.HasOne<Platform>().WithMany().HasForeignKey(c => c.PlatformId);
        });

        model.Entity<BankAccount>(b =>
        {
            b.HasKey(a => a.Id);
            b.Ignore(a => a.IbanMasked);
            b.HasIndex(a => new { a.CustomerId, a.Id });
            b.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId);
        });

        model.Entity<Wallet>(b =>
        {
            b.HasKey(w => w.Id);
            // One wallet per customer and currency, and one fee wallet per platform and currency, even under races.
            b.HasIndex(w => new { w.CustomerId, w.Currency })
                .IsUnique()
                .HasFilter("kind = 'CUSTOMER'")
                .HasDatabaseName("ux_wallets_customer_currency");
            b.HasIndex(w => new { w.PlatformId, w.Currency })
                .IsUnique()
                .HasFilter("kind = 'PLATFORM_FEES'")
                .HasDatabaseName("ux_wallets_platform_fees_currency");
            b.HasIndex(w => new { w.PlatformId, w.Id });
            b.HasOne<Platform>().WithMany().HasForeignKey(w => w.PlatformId);
            b.HasOne<Customer>().WithMany().HasForeignKey(w => w.CustomerId);
            // Without this CHECK a race between two debits could spend the same euro twice.
            b.ToTable(t => t.HasCheckConstraint("ck_wallets_balance_non_negative", "balance_minor >= 0"));
        });

        model.HasSequence<long>(LedgerPostingSequence);
        model.Entity<LedgerTransfer>(b =>
        {
            b.HasKey(t => t.Id);
            // The default numbers rows written outside LedgerService (existing rows, SQL fixtures) in insert order.
            b.Property(t => t.PostingSequence).HasDefaultValueSql($"nextval('{LedgerPostingSequence}')");
            b.HasIndex(t => t.DebitAccount);
            b.HasIndex(t => t.CreditAccount);
            b.HasIndex(t => t.OrderId);
            b.HasIndex(t => t.Reference);
            b.ToTable(t =>
            {
                t.HasCheckConstraint("ck_ledger_transfers_amount_positive", "amount_minor > 0");
                t.HasCheckConstraint("ck_ledger_transfers_distinct_accounts", "debit_account <> credit_account");
            });
        });

        model.Entity<Order>(b =>
        {
            b.HasKey(o => o.Id);
            b.Ignore(o => o.Amount);
            Metadata(b.Property(o => o.Metadata));
            b.HasIndex(o => new { o.PlatformId, o.Id });
            b.HasIndex(o => new
            {
                o.PlatformId,
                o.Status,
                o.Id,
            });
            b.HasIndex(o => o.BuyerToken).IsUnique();
            b.HasIndex(o => o.SellerToken).IsUnique();
            b.HasIndex(o => o.OrderGroupId);
            b.HasIndex(o => o.Status)
                .HasFilter("status = 'PENDING_RELEASE'")
                .HasDatabaseName("ix_orders_pending_release");
            // The dashboard's filters and search (Application/Dashboard/OrderSearch.cs).
            b.HasIndex(o => new { o.PlatformId, o.CreatedAt });
            b.HasIndex(o => o.Name)
                .HasMethod("gin")
                .HasOperators("gin_trgm_ops")
                .HasDatabaseName("ix_orders_name_trgm");
            b.HasIndex(o => o.Metadata).HasMethod("gin").HasDatabaseName("ix_orders_metadata");
            b.HasOne<Platform>().WithMany().HasForeignKey(o => o.PlatformId);
            b.HasOne<Customer>().WithMany().HasForeignKey(o => o.SellerId);
            b.HasOne<Customer>().WithMany().HasForeignKey(o => o.BuyerId);
            b.ToTable(t =>
            {
                t.HasCheckConstraint("ck_orders_amount_positive", "amount_minor > 0");
                t.HasCheckConstraint("ck_orders_held_non_negative", "held_minor >= 0 AND refunded_minor >= 0");
            });
        });

        model.ApplyConfiguration(new Campaigns.CampaignStatusChangeConfiguration());

        model.Entity<OrderStatusChange>(b =>
        {
            b.HasKey(c => c.Id);
            b.HasIndex(c => new { c.OrderId, c.At });
            b.HasOne<Order>().WithMany().HasForeignKey(c => c.OrderId);
        });

        model.Entity<OrderSplit>(b =>
        {
            b.HasKey(s => s.Id);
            b.HasIndex(s => s.OrderId);
            b.HasOne<Order>().WithMany().HasForeignKey(s => s.OrderId);
            b.HasOne<Wallet>().WithMany().HasForeignKey(s => s.WalletId);
            b.ToTable(t => t.HasCheckConstraint("ck_order_splits_amount_positive", "amount_minor > 0"));
        });

        model.Entity<OrderGroup>(b =>
        {
            b.HasKey(g => g.Id);
            b.HasOne<Customer>().WithMany().HasForeignKey(g => g.BuyerId);
        });

        model.Entity<WalletTransfer>(b =>
        {
            b.HasKey(t => t.Id);
            b.HasIndex(t => t.BatchId);
            b.HasOne<Wallet>().WithMany().HasForeignKey(t => t.FromWalletId);
            b.HasOne<Wallet>().WithMany().HasForeignKey(t => t.ToWalletId);
            b.ToTable(t => t.HasCheckConstraint("ck_wallet_transfers_amount_positive", "amount_minor > 0"));
        });

        model.Entity<Event>(b =>
        {
            b.HasKey(e => e.Id);
            b.Property(e => e.Sequence).UseIdentityAlwaysColumn();
            b.Property(e => e.Data).HasColumnType("jsonb");
            b.HasIndex(e => new { e.PlatformId, e.Id });
            b.HasIndex(e => new { e.ObjectId, e.Sequence });
        });

        model.Entity<WebhookEndpoint>(b =>
        {
            b.HasKey(w => w.Id);
            b.HasIndex(w => new { w.PlatformId, w.Id });
            b.HasOne<Platform>().WithMany().HasForeignKey(w => w.PlatformId);
        });

        model.Entity<WebhookDelivery>(b =>
        {
            b.HasKey(d => d.Id);
            b.HasIndex(d => new { d.EndpointId, d.Id });
            b.HasIndex(d => d.NextAttemptAt)
                .HasFilter("status = 'PENDING'")
                .HasDatabaseName("ix_webhook_deliveries_pending");
            b.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId);
            b.HasOne<Event>().WithMany().HasForeignKey(d => d.EventId);
        });

        model.Entity<WebhookAttempt>(b =>
        {
            b.HasKey(a => a.Id);
            b.HasIndex(a => new { a.DeliveryId, a.Number });
        });

        model.Entity<IdempotencyRecord>(b =>
        {
            b.HasKey(r => new { r.Scope, r.Key });
            b.HasIndex(r => r.ExpiresAt);
        });

        model.Entity<Campaign>(b =>
        {
            b.HasKey(c => c.Id);
            b.Ignore(c => c.Target);
            b.Ignore(c => c.TargetReached);
            b.HasIndex(c => new { c.PlatformId, c.Id });
            b.HasIndex(c => c.Deadline)
                .HasFilter("status IN ('OPEN', 'FUNDED')")
                .HasDatabaseName("ix_campaigns_open_deadline");
            b.HasOne<Platform>().WithMany().HasForeignKey(c => c.PlatformId);
            b.HasOne<Customer>().WithMany().HasForeignKey(c => c.OwnerId);
            b.ToTable(t =>
            {
                t.HasCheckConstraint("ck_campaigns_target_positive", "target_minor > 0");
                t.HasCheckConstraint("ck_campaigns_raised_non_negative", "raised_minor >= 0 AND pending_minor >= 0");
            });
        });

        model.Entity<Contribution>(b =>
        {
            b.HasKey(c => c.Id);
            b.HasIndex(c => new { c.CampaignId, c.Id });
            b.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId);
            b.HasOne<Customer>().WithMany().HasForeignKey(c => c.ContributorId);
            b.ToTable(t => t.HasCheckConstraint("ck_contributions_amount_positive", "amount_minor > 0"));
        });

        model.Entity<Instalment>(b =>
        {
            b.HasKey(i => i.Id);
            b.Ignore(i => i.DueMinor);
            b.Ignore(i => i.IsPaid);
            b.HasIndex(i => new { i.CampaignId, i.Number }).IsUnique();
            b.HasOne<Campaign>().WithMany().HasForeignKey(i => i.CampaignId);
        });

        model.Entity<RepaymentShare>(b =>
        {
            b.HasKey(r => r.Id);
            b.HasIndex(r => new { r.CampaignId, r.LenderId });
            b.HasOne<Repayment>().WithMany().HasForeignKey(r => r.RepaymentId);
        });

        model.Entity<Repayment>(b =>
        {
            b.HasKey(r => r.Id);
            b.Ignore(r => r.AmountMinor);
            b.HasIndex(r => r.CampaignId);
        });

        model.Entity<Payin>(b =>
        {
            b.HasKey(p => p.Id);
            b.Ignore(p => p.Amount);
            b.Ignore(p => p.IsOpen);
            b.HasIndex(p => p.Token).IsUnique();
            b.HasIndex(p => p.BankwireReference).IsUnique();
            b.HasIndex(p => p.OrderId);
            b.HasIndex(p => p.CampaignId);
            b.HasIndex(p => p.ExpiresAt)
                .HasFilter("status = 'PENDING' AND type = 'BANKWIRE'")
                .HasDatabaseName("ix_payins_open_wires");
            b.ToTable(t => t.HasCheckConstraint("ck_payins_amount_positive", "amount_minor > 0"));
        });

        model.Entity<Payout>(b =>
        {
            b.HasKey(p => p.Id);
            b.HasIndex(p => p.OrderId);
            b.HasIndex(p => p.SettlesAt).HasFilter("status = 'IN_TRANSIT'").HasDatabaseName("ix_payouts_in_transit");
            b.HasIndex(p => p.NextAttemptAt)
                .HasFilter("status IN ('PENDING', 'SUBMITTING')")
                .HasDatabaseName("ix_payouts_open");
            b.Ignore(p => p.BankReference);
            b.ToTable(t => t.HasCheckConstraint("ck_payouts_amount_non_negative", "amount_minor >= 0"));
        });

        model.Entity<Refund>(b =>
        {
            b.HasKey(r => r.Id);
            b.HasIndex(r => r.OrderId);
            b.HasIndex(r => r.CampaignId);
            b.HasIndex(r => r.NextAttemptAt).HasFilter("status = 'PENDING'").HasDatabaseName("ix_refunds_pending");
            b.ToTable(t => t.HasCheckConstraint("ck_refunds_amount_positive", "amount_minor > 0"));
        });

        model.Entity<IncomingWire>(b =>
        {
            b.HasKey(w => w.Id);
            b.HasIndex(w => w.Reference);
        });

        model.Entity<SimulatedCardCharge>(b => b.HasKey(c => c.Reference));
        model.Entity<SimulatedCardRefund>(b => b.HasKey(r => r.Reference));
        model.Entity<SimulatedBankTransfer>(b => b.HasKey(t => t.Reference));
    }

    private static void Metadata(PropertyBuilder<Dictionary<string, string>> property) =>
        property
            .HasColumnType("jsonb")
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => JsonSerializer.Deserialize<Dictionary<string, string>>(v, (JsonSerializerOptions?)null) ?? new(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key, p.Value)),
                    v => new Dictionary<string, string>(v)
                )
            );
}
