using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Truust.Api.Http;

/// <summary>
/// What text Truust accepts: no C0 control characters (U+0000 to U+001F) and no DEL (U+007F). PostgreSQL cannot
/// store a NUL in text at all (a request carrying one would fail at the database), and no id, name, email, currency
/// or URL has a use for the others; they only hide text from whoever reads it later. Free text (a reason, a
/// description) may hold tabs and line breaks. Checked once, as JSON is read and as the query string and path are
/// (<see cref="ControlCharacterGuard"/>), so no endpoint can forget it.
/// </summary>
public static class TextInput
{
    /// <summary>
    /// Fields (JSON or form) that are free text, written by people for people: they may hold tabs and line breaks.
    /// </summary>
    public static readonly IReadOnlySet<string> FreeTextFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "description",
        "reason",
    };

    /// <summary>The index of the first character <paramref name="text"/> may not hold, or -1.</summary>
    public static int FirstRefused(string text, bool freeText = false)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c < ' ' || c == '\u007f') && !(freeText && c is '\t' or '\n' or '\r'))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>What is wrong with <paramref name="text"/>, or null when it is acceptable.</summary>
    public static string? Problem(string text, bool freeText = false)
    {
        var index = FirstRefused(text, freeText);
        return index < 0
            ? null
            : $"Contains the control character U+{(int)text[index]:X4} at position {index}; "
                + (
                    freeText
                        ? "only printable text, tabs and line breaks are accepted."
                        : "only printable text is accepted."
                );
    }

    /// <summary>Makes every string read from JSON pass <see cref="FirstRefused"/>, free text more leniently.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(StrictTextConverter.Instance);
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(
            info =>
            {
                if (info.Kind != JsonTypeInfoKind.Object)
                {
                    return;
                }

                foreach (var property in info.Properties)
                {
                    if (property.PropertyType == typeof(string) && FreeTextFields.Contains(property.Name))
                    {
                        property.CustomConverter = FreeTextConverter.Instance;
                    }
                }
            }
        );
    }

    /// <summary>
    /// Reads a JSON string and refuses it with a JsonException (so a 400 naming the field's path) when it holds a
    /// character <see cref="FirstRefused"/> refuses. Dictionary keys (metadata) are checked the same way.
    /// </summary>
    private abstract class CheckedTextConverter(bool freeText) : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("Expected a string.");
            }

            return Checked(reader.GetString()!);
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);

        public override string ReadAsPropertyName(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        ) => Checked(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value);

        private string Checked(string value) =>
            Problem(value, freeText) is { } problem ? throw new JsonException(problem) : value;
    }

    private sealed class StrictTextConverter() : CheckedTextConverter(freeText: false)
    {
        public static readonly StrictTextConverter Instance = new();
    }

    private sealed class FreeTextConverter() : CheckedTextConverter(freeText: true)
    {
        public static readonly FreeTextConverter Instance = new();
    }
}
