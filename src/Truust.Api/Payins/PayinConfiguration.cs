using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Payments;

namespace Truust.Api.Payins;

public sealed class PayinConfiguration : IEntityTypeConfiguration<Payin>
{
    public void Configure(EntityTypeBuilder<Payin> b)
    {
        b.HasKey(p => p.Id);
        b.Ignore(p => p.Amount);
        b.Ignore(p => p.IsOpen);
        b.HasIndex(p => p.Token).IsUnique();
        b.HasIndex(p => p.BankwireReference).IsUnique();
        b.HasIndex(p => p.OrderId);
        b.HasIndex(p => p.CampaignId);
        b.HasIndex(p => p.ExpiresAt)
            .HasFilter($"status = '{WireName.Of(PayinStatus.Pending)}' AND type = '{WireName.Of(PayinType.Bankwire)}'")
            .HasDatabaseName("ix_payins_open_wires");
        b.ToTable(t => t.HasCheckConstraint("ck_payins_amount_positive", "amount_minor > 0"));
        b.HasClaimLease();
    }
}
