using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Platforms;

namespace Truust.Api.Platforms;

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.HasKey(k => k.Id);
        b.HasIndex(k => k.Hash).IsUnique();
        b.HasOne<Platform>().WithMany().HasForeignKey(k => k.PlatformId);
    }
}
