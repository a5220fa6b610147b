using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

public sealed class OrderStatusChangeConfiguration : IEntityTypeConfiguration<OrderStatusChange>
{
    public void Configure(EntityTypeBuilder<OrderStatusChange> b)
    {
        b.HasKey(c => c.Id);
        b.HasIndex(c => new { c.OrderId, c.At });
        b.HasOne<Order>().WithMany().HasForeignKey(c => c.OrderId);
    }
}
