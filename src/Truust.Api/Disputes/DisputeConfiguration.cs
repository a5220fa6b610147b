using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;
using Truust.Domain.Platforms;

namespace Truust.Api.Disputes;

public sealed class DisputeConfiguration : IEntityTypeConfiguration<Dispute>
{
    public void Configure(EntityTypeBuilder<Dispute> b)
    {
        b.HasKey(d => d.Id);
        b.Ignore(d => d.IsOpen);
        b.Property(d => d.Reason).HasMaxLength(200);
        b.Property(d => d.Outcome).HasMaxLength(32);
        b.Property(d => d.Currency).HasMaxLength(3);
        // The statements are the dispute's own evidence and history, read and written with it: one jsonb column.
        b.Property(d => d.Entries)
            .HasColumnType("jsonb")
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => JsonSerializer.Deserialize<List<DisputeEntry>>(v, (JsonSerializerOptions?)null) ?? new(),
                new ValueComparer<List<DisputeEntry>>(
                    (a, b) => a!.Count == b!.Count && a.SequenceEqual(b),
                    v => v.Count,
                    v => v.ToList()
                )
            );
        b.HasClaimLease();
        b.HasIndex(d => new { d.PlatformId, d.OrderId });
        b.HasIndex(d => d.DeadlineAt)
            .HasFilter(
                $"status IN ('{WireName.Of(DisputeStatus.AwaitingSeller)}', "
                    + $"'{WireName.Of(DisputeStatus.AwaitingBuyer)}')"
            )
            .HasDatabaseName("ix_disputes_open_deadline");
        b.HasOne<Platform>().WithMany().HasForeignKey(d => d.PlatformId);
        b.HasOne<Order>().WithMany().HasForeignKey(d => d.OrderId);
        b.ToTable(t =>
            t.HasCheckConstraint(
                "ck_disputes_amounts_non_negative",
                "(offered_minor IS NULL OR offered_minor > 0) AND (refunded_minor IS NULL OR refunded_minor >= 0)"
            )
        );
    }
}
