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
        b.ToTable(t => t.HasCheckConstraint("ck_wallets_balance_non_negative", "balance_minor >= 0"));
    }
}
