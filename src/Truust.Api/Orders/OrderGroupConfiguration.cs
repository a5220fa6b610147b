using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Customers;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

public sealed class OrderGroupConfiguration : IEntityTypeConfiguration<OrderGroup>
{
    public void Configure(EntityTypeBuilder<OrderGroup> b)
    {
        b.HasKey(g => g.Id);
        b.HasOne<Customer>().WithMany().HasForeignKey(g => g.BuyerId);
    }
}
