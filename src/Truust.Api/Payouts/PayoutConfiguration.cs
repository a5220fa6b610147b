using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Payouts;

public sealed class PayoutConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> b)
    {
        b.HasKey(p => p.Id);
        b.HasIndex(p => p.OrderId);
        // GET /v1/payouts: a platform's payouts newest first.
        b.HasIndex(p => new { p.PlatformId, p.Id });
        b.HasIndex(p => p.SettlesAt)
            .HasFilter($"status = '{WireName.Of(PayoutStatus.InTransit)}'")
            .HasDatabaseName("ix_payouts_in_transit");
        b.HasIndex(p => p.NextAttemptAt)
            .HasFilter($"status IN ('{WireName.Of(PayoutStatus.Pending)}', '{WireName.Of(PayoutStatus.Submitting)}')")
            .HasDatabaseName("ix_payouts_open");
        b.Ignore(p => p.BankReference);
        b.ToTable(t => t.HasCheckConstraint("ck_payouts_amount_non_negative", "amount_minor >= 0"));
    }
}
