using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Truust.Api.Http;

/// <summary>
/// Says what is wrong with an unreadable request body in the caller's terms: the field's JSON path and the JSON
/// it expects there ("Expected an integer."). System.Text.Json's own messages name .NET types
/// (<c>System.Nullable`1[...]</c>, <c>Truust.Api.Contracts.CreateCampaignRequest</c>), which mean nothing to a
/// platform developer and tell an attacker how the service is built.
/// </summary>
public static partial class JsonInputErrors
{
    /// <summary>
    /// The field and message for one model-state error of a body that could not be read. <paramref name="key"/>
    /// is the JSON path MVC reports (<c>$.splits[0].amount</c>, or empty), <paramref name="bodyType"/> the type
    /// the body binds to, if known.
    /// </summary>
    public static (string Field, string Message) Describe(string key, string message, Type? bodyType)
    {
        var field = FieldOf(key);
        if (UnknownProperty().Match(message) is { Success: true } unknown)
        {
            var name = unknown.Groups["name"].Value;
            var parent = field.EndsWith(name, StringComparison.Ordinal) ? field : Join(field, name);
            return (parent, $"'{name}' is not a field of this object; check its spelling.");
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            var expected = bodyType is null ? null : ExpectedAt(bodyType, key);
            return (field, expected is null ? "This value has the wrong JSON type." : $"Expected {expected}.");
        }

        var position = Position().Match(message);
        // The reader's advice to change its options is addressed to Truust's code, not to the caller.
        var text = Position()
            .Replace(message, string.Empty)
            .Replace(" Change the reader options.", string.Empty, StringComparison.Ordinal)
            .Replace(" Change the reader options", string.Empty, StringComparison.Ordinal)
            .Trim();
        if (position.Success)
        {
            var line = int.Parse(position.Groups["line"].Value) + 1;
            text = $"Not valid JSON: {text.TrimEnd('.')} (line {line}, byte {position.Groups["byte"].Value}).";
        }

        // A message from a part of the framework this map does not know yet: say less rather than name types.
        return (field, DotNetName().IsMatch(text) ? "This value could not be read." : text);
    }

    /// <summary>
    /// The field name of a JSON path: <c>$.splits[0].amount</c> is <c>splits[0].amount</c>. A path through an object
    /// key that holds a control character (a metadata key) names the object: the key itself is what was refused.
    /// </summary>
    public static string FieldOf(string key)
    {
        var field = key.TrimStart('$', '.');
        var refused = TextInput.FirstRefused(field);
        return refused < 0 ? field : field[..Math.Max(0, field.LastIndexOfAny(['.', '['], refused))];
    }

    /// <summary>What JSON <paramref name="path"/> expects in a body of <paramref name="root"/>, or null.</summary>
    public static string? ExpectedAt(Type root, string path)
    {
        var type = root;
        foreach (Match segment in PathSegment().Matches(path.TrimStart('$')))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            Type? next;
            if (segment.Groups["index"].Success)
            {
                next = ElementType(type);
            }
            else
            {
                var name = segment.Groups["name"].Success
                    ? segment.Groups["name"].Value
                    : segment.Groups["quoted"].Value;
                next = DictionaryValueType(type) ?? PropertyType(type, name);
            }

            if (next is null)
            {
                return null;
            }

            type = next;
        }

        return Describe(type);
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type.IsEnum)
        {
            var names = Enum.GetValues(type)
                .Cast<object>()
                .Select(v => JsonSerializer.Serialize(v, type, JsonDefaults.Options).Trim('"'));
            return "one of " + string.Join(", ", names);
        }

        if (
            type == typeof(int)
            || type == typeof(long)
            || type == typeof(short)
            || type == typeof(byte)
            || type == typeof(uint)
            || type == typeof(ulong)
        )
        {
            return "an integer";
        }

        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float))
        {
            return "a number";
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return "a date and time as an ISO 8601 string, e.g. \"2026-01-31T12:00:00Z\"";
        }

        if (type == typeof(DateOnly))
        {
            return "a date as an ISO 8601 string, e.g. \"2026-01-31\"";
        }

        if (type == typeof(JsonElement))
        {
            return "a JSON value";
        }

        if (DictionaryValueType(type) is not null)
        {
            return "a JSON object";
        }

        return ElementType(type) is not null ? "a JSON array" : "a JSON object";
    }

    private static Type? PropertyType(Type type, string jsonName) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p =>
                (
                    p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                    ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)
                ) == jsonName
            )
            ?.PropertyType;

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType
        && type.GetGenericArguments() is [var key, var value]
        && key == typeof(string)
        && typeof(IDictionary).IsAssignableFrom(type)
            ? value
            : null;

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.GetInterfaces()
            .Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0];
    }

    private static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    [GeneratedRegex(@"^The JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: (?<line>\d+) \| BytePositionInLine: (?<byte>\d+)\.?")]
    private static partial Regex Position();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<quoted>[^']*)'\]")]
    private static partial Regex PathSegment();

    [GeneratedRegex(@"\b(System|Truust|Microsoft)\.[A-Z]|`\d")]
    private static partial Regex DotNetName();
}
