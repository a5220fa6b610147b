using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Platforms;
using Truust.Domain.Webhooks;

namespace Truust.Api.Webhooks;

public sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.HasKey(w => w.Id);
        b.HasIndex(w => new { w.PlatformId, w.Id });
        b.HasOne<Platform>().WithMany().HasForeignKey(w => w.PlatformId);
    }
}
