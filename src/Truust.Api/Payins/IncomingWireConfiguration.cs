using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Banking;

namespace Truust.Api.Payins;

public sealed class IncomingWireConfiguration : IEntityTypeConfiguration<IncomingWire>
{
    public void Configure(EntityTypeBuilder<IncomingWire> b)
    {
        b.HasKey(w => w.Id);
        b.HasIndex(w => w.Reference);
    }
}
