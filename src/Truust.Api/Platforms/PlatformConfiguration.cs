using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Platforms;

namespace Truust.Api.Platforms;

public sealed class PlatformConfiguration : IEntityTypeConfiguration<Platform>
{
    public void Configure(EntityTypeBuilder<Platform> b)
    {
        b.HasKey(p => p.Id);
        b.Property(p => p.Name).HasMaxLength(200);
        b.Ignore(p => p.ReleasePolicy);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_platforms_fees_non_negative", "fee_percent_bp >= 0 AND fee_fixed_minor >= 0");
            // Forward only: a clock that went back would make deadlines that already fired lie in the future.
            t.HasCheckConstraint("ck_platforms_clock_offset_non_negative", "clock_offset_seconds >= 0");
        });
    }
}
