using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Campaigns;

namespace Truust.Api.Campaigns;

public sealed class RepaymentConfiguration : IEntityTypeConfiguration<Repayment>
{
    public void Configure(EntityTypeBuilder<Repayment> b)
    {
        b.HasKey(r => r.Id);
        b.Ignore(r => r.AmountMinor);
        b.HasIndex(r => r.CampaignId);
    }
}
