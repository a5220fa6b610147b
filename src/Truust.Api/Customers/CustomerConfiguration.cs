using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Api.Persistence;
using Truust.Domain.Customers;
using Truust.Domain.Platforms;

namespace Truust.Api.Customers;

public sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.HasKey(c => c.Id);
        b.Property(c => c.Metadata).IsMetadataJson();
        b.HasIndex(c => new { c.PlatformId, c.Id });
        b.HasOne<Platform>().WithMany().HasForeignKey(c => c.PlatformId);
    }
}
