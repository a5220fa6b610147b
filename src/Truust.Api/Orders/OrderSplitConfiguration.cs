using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Orders;
using Truust.Domain.Wallets;

namespace Truust.Api.Orders;

public sealed class OrderSplitConfiguration : IEntityTypeConfiguration<OrderSplit>
{
    public void Configure(EntityTypeBuilder<OrderSplit> b)
    {
        b.HasKey(s => s.Id);
        b.HasIndex(s => s.OrderId);
        b.HasOne<Order>().WithMany().HasForeignKey(s => s.OrderId);
        b.HasOne<Wallet>().WithMany().HasForeignKey(s => s.WalletId);
        b.ToTable(t => t.HasCheckConstraint("ck_order_splits_amount_positive", "amount_minor > 0"));
    }
}
