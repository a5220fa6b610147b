using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Events;

namespace Truust.Api.Webhooks;

public sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> b)
    {
        b.HasKey(e => e.Id);
        b.Property(e => e.Sequence).UseIdentityAlwaysColumn();
        b.Property(e => e.Data).HasColumnType("jsonb");
        b.HasIndex(e => new { e.PlatformId, e.Id });
        b.HasIndex(e => new { e.ObjectId, e.Sequence });
    }
}
