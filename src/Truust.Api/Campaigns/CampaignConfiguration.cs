using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Campaigns;
using Truust.Domain.Customers;
using Truust.Domain.Platforms;

namespace Truust.Api.Campaigns;

public sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.HasKey(c => c.Id);
        b.Ignore(c => c.Target);
        b.Ignore(c => c.TargetReached);
        b.HasIndex(c => new { c.PlatformId, c.Id });
        b.HasIndex(c => c.Deadline)
            .HasFilter($"status IN ('{WireName.Of(CampaignStatus.Open)}', '{WireName.Of(CampaignStatus.Funded)}')")
            .HasDatabaseName("ix_campaigns_open_deadline");
        b.HasOne<Platform>().WithMany().HasForeignKey(c => c.PlatformId);
        b.HasOne<Customer>().WithMany().HasForeignKey(c => c.OwnerId);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_campaigns_target_positive", "target_minor > 0");
            t.HasCheckConstraint("ck_campaigns_raised_non_negative", "raised_minor >= 0 AND pending_minor >= 0");
        });
        b.HasClaimLease();
    }
}
