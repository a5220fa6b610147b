using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Campaigns;

namespace Truust.Api.Campaigns;

public sealed class InstalmentConfiguration : IEntityTypeConfiguration<Instalment>
{
    public void Configure(EntityTypeBuilder<Instalment> b)
    {
        b.HasKey(i => i.Id);
        b.Ignore(i => i.DueMinor);
        b.Ignore(i => i.IsPaid);
        b.HasIndex(i => new { i.CampaignId, i.Number }).IsUnique();
        b.HasOne<Campaign>().WithMany().HasForeignKey(i => i.CampaignId);
    }
}
