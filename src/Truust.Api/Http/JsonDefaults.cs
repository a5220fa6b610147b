using System.Text.Json.Serialization;
using System.Text.Json;
using Truust.Api.Persistence;
using Truust.Domain.Orders;

namespace Truust.Api.Http;

/// <summary>The API's one JSON shape: snake_case names, upper snake case enums, no unknown fields accepted.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = Configure(
        new JsonSerializerOptions(JsonSerializerDefaults.Web)
    );

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
        options.Converters.Add(new UtcTimestamps.Json());
        options.NumberHandling = JsonNumberHandling.Strict;
        // A misspelt field is an error the caller should hear about, not a silently ignored option.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.MaxDepth = 16;
        // The API answers application/json only, never HTML, so quotes need not be escaped as \u0027.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }
}

/// <summary>Wire names of enums and order actions.</summary>
public static class EnumWire
{
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => EnumName.Of(value);
}

public static class OrderActions
{
    /// <summary>The action name a trigger has in <c>allowed_actions</c>: <c>accept</c>, <c>create_payout</c>,
    /// ...</summary>
    public static string Name(OrderTrigger trigger) => JsonNamingPolicy.SnakeCaseLower.ConvertName(trigger.ToString());
}
