using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Campaigns;

namespace Truust.Api.Campaigns;

/// <summary>A campaign's append-only status history, read oldest first by campaign.</summary>
public sealed class CampaignStatusChangeConfiguration : IEntityTypeConfiguration<CampaignStatusChange>
{
    public void Configure(EntityTypeBuilder<CampaignStatusChange> b)
    {
        b.HasKey(c => c.Id);
        b.HasIndex(c => new { c.CampaignId, c.At });
        b.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId);
    }
}
