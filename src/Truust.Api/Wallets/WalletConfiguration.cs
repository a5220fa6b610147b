using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain;
using Truust.Domain.Customers;
using Truust.Domain.Platforms;
using Truust.Domain.Wallets;

namespace Truust.Api.Wallets;

public sealed class WalletConfiguration : IEntityTypeConfiguration<Wallet>
{
    public void Configure(EntityTypeBuilder<Wallet> b)
    {
        b.HasKey(w => w.Id);
        // One wallet per customer and currency, one fee wallet and one reserve per platform and currency, even under
        // races.
        b.HasIndex(w => new { w.CustomerId, w.Currency })
            .IsUnique()
            .HasFilter($"kind = '{WireName.Of(WalletKind.Customer)}'")
            .HasDatabaseName("ux_wallets_customer_currency");
        b.HasIndex(w => new { w.PlatformId, w.Currency })
            .IsUnique()
            .HasFilter($"kind = '{WireName.Of(WalletKind.PlatformFees)}'")
            .HasDatabaseName("ux_wallets_platform_fees_currency");
        // Named in HasIndex: an unnamed index on the same columns would be the fee wallets' one, reconfigured.
        b.HasIndex(w => new { w.PlatformId, w.Currency }, "ux_wallets_platform_reserve_currency")
            .IsUnique()
            .HasFilter($"kind = '{WireName.Of(WalletKind.PlatformReserve)}'")
            .HasDatabaseName("ux_wallets_platform_reserve_currency");
        b.HasIndex(w => new { w.PlatformId, w.Id });
        b.HasOne<Platform>().WithMany().HasForeignKey(w => w.PlatformId);
        b.HasOne<Customer>().WithMany().HasForeignKey(w => w.CustomerId);
        // Without this CHECK a race between two debits could spend the same euro twice.
        b.ToTable("wallets", t => t.HasCheckConstraint("ck_wallets_balance_non_negative", "balance_minor >= 0"));
        // Read through this query (inserts still go to the table): a wallet's balance is its row plus its credit
        // sub-accounts (a fee wallet's; other wallets have none), so no read can forget them (ADR 0013). A column
        // added to wallets must be added here too (the wallet tests read every column).
        b.ToSqlQuery(
            """
            SELECT w.id, w.platform_id, w.customer_id, w.currency, w.kind, w.created_at,
                   w.balance_minor + CASE WHEN w.kind = 'PLATFORM_FEES' THEN coalesce(
                       (SELECT sum(s.amount_minor) FROM wallet_credit_shards s WHERE s.wallet_id = w.id), 0
                   )::bigint ELSE 0 END AS balance_minor
            FROM wallets w
            """
        );
    }
}
