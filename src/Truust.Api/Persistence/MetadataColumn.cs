using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Truust.Api.Persistence;

/// <summary>The one mapping of a platform's free-form metadata (string keys and values) to a jsonb column.</summary>
public static class MetadataColumn
{
    public static PropertyBuilder<Dictionary<string, string>> IsMetadataJson(
        this PropertyBuilder<Dictionary<string, string>> property
    ) =>
        property
            .HasColumnType("jsonb")
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => JsonSerializer.Deserialize<Dictionary<string, string>>(v, (JsonSerializerOptions?)null) ?? new(),
                // Without a comparer EF Core compares the dictionary by reference and misses changes made in place.
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key, p.Value)),
                    v => new Dictionary<string, string>(v)
                )
            );
}
