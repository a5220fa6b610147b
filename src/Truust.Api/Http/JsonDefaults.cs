using System.Text.Json;
using System.Text.Json.Serialization;
using Truust.Domain;

namespace Truust.Api.Http;

/// <summary>
/// The API's one JSON shape: snake_case names, upper snake case enums, no unknown fields and no control characters
/// accepted.
/// </summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = Configure(
        new JsonSerializerOptions(JsonSerializerDefaults.Web)
    );

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(WireNamePolicy.Instance, allowIntegerValues: false));
        options.Converters.Add(new UtcTimestamps.Json());
        options.NumberHandling = JsonNumberHandling.Strict;
        // A misspelt field is an error the caller should hear about, not a silently ignored option.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.MaxDepth = 16;
        // The API answers application/json only, never HTML, so quotes need not be escaped as \u0027.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        TextInput.Configure(options);
        return options;
    }
}

/// <summary>Enum members in JSON are spelt by <see cref="WireName"/>, the one spelling
/// (<c>PENDING_PUBLISH</c>).</summary>
public sealed class WireNamePolicy : JsonNamingPolicy
{
    public static readonly WireNamePolicy Instance = new();

    public override string ConvertName(string name) => WireName.FromMember(name);
}
