using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Wallets;

namespace Truust.Api.Wallets;

public sealed class WalletTransferConfiguration : IEntityTypeConfiguration<WalletTransfer>
{
    public void Configure(EntityTypeBuilder<WalletTransfer> b)
    {
        b.HasKey(t => t.Id);
        b.HasIndex(t => t.BatchId);
        b.HasOne<Wallet>().WithMany().HasForeignKey(t => t.FromWalletId);
        b.HasOne<Wallet>().WithMany().HasForeignKey(t => t.ToWalletId);
        b.ToTable(t => t.HasCheckConstraint("ck_wallet_transfers_amount_positive", "amount_minor > 0"));
    }
}
