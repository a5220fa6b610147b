using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain;
using Truust.Domain.Events;
using Truust.Domain.Webhooks;

namespace Truust.Api.Webhooks;

public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.HasKey(d => d.Id);
        b.HasIndex(d => new { d.EndpointId, d.Id });
        b.HasIndex(d => d.NextAttemptAt)
            .HasFilter($"status = '{WireName.Of(WebhookDeliveryStatus.Pending)}'")
            .HasDatabaseName("ix_webhook_deliveries_pending");
        b.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId);
        b.HasOne<Event>().WithMany().HasForeignKey(d => d.EventId);
    }
}
