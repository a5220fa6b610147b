using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Orders;

namespace Truust.Api.Orders;

public sealed class MilestoneConfiguration : IEntityTypeConfiguration<Milestone>
{
    public void Configure(EntityTypeBuilder<Milestone> b)
    {
        b.ToTable("order_milestones");
        b.HasKey(m => m.Id);
        b.HasIndex(m => new { m.OrderId, m.Position }).IsUnique();
        b.HasOne<Order>().WithMany().HasForeignKey(m => m.OrderId);
        b.Property(m => m.Name).HasMaxLength(200);
        b.Ignore(m => m.RemainingMinor);
        // The inspection job's claim: delivered milestones with a window, by the end of it.
        b.HasClaimLease();
        b.HasIndex(m => m.InspectionEndsAt)
            .HasFilter($"status = '{WireName.Of(MilestoneStatus.Delivered)}' AND inspection_ends_at IS NOT NULL")
            .HasDatabaseName("ix_order_milestones_inspection_due");
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_order_milestones_amount_positive", "amount_minor > 0");
            // A milestone never gives back or releases more than its part of the order.
            t.HasCheckConstraint(
                "ck_order_milestones_within_amount",
                "refunded_minor >= 0 AND released_minor >= 0 AND refunded_minor + released_minor <= amount_minor"
            );
        });
    }
}
