using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Campaigns;

namespace Truust.Api.Campaigns;

public sealed class RepaymentShareConfiguration : IEntityTypeConfiguration<RepaymentShare>
{
    public void Configure(EntityTypeBuilder<RepaymentShare> b)
    {
        b.HasKey(r => r.Id);
        b.HasIndex(r => new { r.CampaignId, r.LenderId });
        b.HasOne<Repayment>().WithMany().HasForeignKey(r => r.RepaymentId);
    }
}
