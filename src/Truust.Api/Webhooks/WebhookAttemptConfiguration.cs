using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Webhooks;

namespace Truust.Api.Webhooks;

public sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.HasKey(a => a.Id);
        b.HasIndex(a => new { a.DeliveryId, a.Number });
    }
}
