using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Customers;
using Truust.Domain.Orders;
using Truust.Domain.Platforms;

namespace Truust.Api.Orders;

public sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    /// <summary>The W3C traceparent of the request that made the order due for release (a shadow property: tracing
    /// is the workers' business, not the domain's).</summary>
    public const string ReleaseTraceParent = "ReleaseTraceParent";

    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.HasKey(o => o.Id);
        b.Property<string?>(ReleaseTraceParent).HasMaxLength(55);
        b.Ignore(o => o.Amount);
        b.Property(o => o.Metadata).IsMetadataJson();
        b.HasIndex(o => new { o.PlatformId, o.Id });
        b.HasIndex(o => new
        {
            o.PlatformId,
            o.Status,
            o.Id,
        });
        b.HasIndex(o => o.BuyerToken).IsUnique();
        b.HasIndex(o => o.SellerToken).IsUnique();
        b.HasIndex(o => o.OrderGroupId);
        b.HasIndex(o => o.Status)
            .HasFilter($"status = '{WireName.Of(OrderStatus.PendingRelease)}'")
            .HasDatabaseName("ix_orders_pending_release");
        // The dashboard's filters and search (Pages/Dashboard/OrderSearch.cs).
        b.HasIndex(o => new { o.PlatformId, o.CreatedAt });
        // The inspection job's claim: delivered orders awaiting validation, by the end of their window.
        b.HasClaimLease();
        b.HasIndex(o => o.InspectionEndsAt)
            .HasFilter($"status = '{WireName.Of(OrderStatus.PendingValidate)}' AND auto_validate")
            .HasDatabaseName("ix_orders_inspection_due");
        b.Property(o => o.TrackingCarrier).HasMaxLength(100);
        b.Property(o => o.TrackingNumber).HasMaxLength(100);
        b.Property(o => o.TrackingUrl).HasMaxLength(2048);
        b.Ignore(o => o.Policy);
        b.HasIndex(o => o.Name).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_orders_name_trgm");
        b.HasIndex(o => o.Metadata).HasMethod("gin").HasDatabaseName("ix_orders_metadata");
        b.HasOne<Platform>().WithMany().HasForeignKey(o => o.PlatformId);
        b.HasOne<Customer>().WithMany().HasForeignKey(o => o.SellerId);
        b.HasOne<Customer>().WithMany().HasForeignKey(o => o.BuyerId);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_orders_amount_positive", "amount_minor > 0");
            t.HasCheckConstraint("ck_orders_held_non_negative", "held_minor >= 0 AND refunded_minor >= 0");
        });
    }
}
