using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Campaigns;
using Truust.Domain.Customers;

namespace Truust.Api.Campaigns;

public sealed class ContributionConfiguration : IEntityTypeConfiguration<Contribution>
{
    public void Configure(EntityTypeBuilder<Contribution> b)
    {
        b.HasKey(c => c.Id);
        b.HasIndex(c => new { c.CampaignId, c.Id });
        b.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId);
        b.HasOne<Customer>().WithMany().HasForeignKey(c => c.ContributorId);
        b.ToTable(t => t.HasCheckConstraint("ck_contributions_amount_positive", "amount_minor > 0"));
    }
}
