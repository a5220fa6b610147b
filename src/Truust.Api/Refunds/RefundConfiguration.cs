using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Refunds;

public sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> b)
    {
        b.HasKey(r => r.Id);
        b.HasIndex(r => r.OrderId);
        // GET /v1/refunds: a platform's refunds newest first.
        b.HasIndex(r => new { r.PlatformId, r.Id });
        b.HasIndex(r => r.CampaignId);
        b.HasIndex(r => r.MilestoneId);
        b.HasIndex(r => r.NextAttemptAt)
            .HasFilter($"status = '{WireName.Of(RefundStatus.Pending)}'")
            .HasDatabaseName("ix_refunds_pending");
        b.ToTable(t => t.HasCheckConstraint("ck_refunds_amount_positive", "amount_minor > 0"));
    }
}
