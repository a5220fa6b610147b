using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Truust.Domain;

/// <summary>
/// The one spelling of an enum value outside C#: upper snake case (<c>PENDING_PUBLISH</c>) in JSON, in the database,
/// in SQL and in error bodies; its lower-case form (<c>create_payout</c>) names an action in <c>allowed_actions</c>.
/// Every place that turns an enum into text, or text into an enum, calls this, so a row reads the same in psql as
/// in a JSON response and no two spellings can drift apart.
/// </summary>
public static class WireName
{
    /// <summary>The wire name of <paramref name="value"/>, e.g. <c>PENDING_RELEASE</c>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Names<TEnum>.ToWire.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} has no such member.");

    /// <summary>The wire name of a boxed enum value (for code that handles several enum types alike).</summary>
    public static string Of(Enum value) =>
        Enum.IsDefined(value.GetType(), value)
            ? Boxed.GetOrAdd(value, v => FromMember(v.ToString()))
            : throw new ArgumentOutOfRangeException(
                nameof(value),
                value,
                $"{value.GetType().Name} has no such member."
            );

    /// <summary>The action name of a trigger, as <c>allowed_actions</c> lists it: <c>accept</c>,
    /// <c>create_payout</c>.</summary>
    public static string Action(Enum trigger) => Of(trigger).ToLowerInvariant();

    /// <summary>The member a wire name stands for; throws <see cref="FormatException"/> for any other text.</summary>
    public static TEnum Parse<TEnum>(string wire)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(wire, out var value)
            ? value
            : throw new FormatException(
                $"'{wire}' is not a {typeof(TEnum).Name} (expected one of {Names<TEnum>.List})."
            );

    public static bool TryParse<TEnum>(string wire, out TEnum value)
        where TEnum : struct, Enum => Names<TEnum>.FromWire.TryGetValue(wire, out value);

    /// <summary>
    /// Upper snake case of a C# member name: a word starts at each capital that follows a lower-case letter or a
    /// digit, and at the last capital of a run of capitals followed by a lower-case letter (<c>XMLReader</c> →
    /// <c>XML_READER</c>). This is the algorithm of System.Text.Json's <c>JsonNamingPolicy.SnakeCaseUpper</c>, so
    /// names stored before this function existed read back unchanged (a test compares the two).
    /// </summary>
    public static string FromMember(string name)
    {
        var result = new StringBuilder(name.Length + 8);
        var state = State.NotStarted;
        for (var i = 0; i < name.Length; i++)
        {
            var current = name[i];
            switch (char.GetUnicodeCategory(current))
            {
                case UnicodeCategory.UppercaseLetter:
                    var startsWord =
                        state is State.LowerOrDigit or State.Space
                        || (state == State.Upper && i + 1 < name.Length && char.IsLower(name[i + 1]));
                    if (startsWord)
                    {
                        result.Append('_');
                    }

                    result.Append(current);
                    state = State.Upper;
                    break;
                case UnicodeCategory.LowercaseLetter:
                case UnicodeCategory.DecimalDigitNumber:
                    if (state == State.Space)
                    {
                        result.Append('_');
                    }

                    result.Append(char.ToUpperInvariant(current));
                    state = State.LowerOrDigit;
                    break;
                case UnicodeCategory.SpaceSeparator:
                    // Leading and trailing spaces vanish; spaces between words become one separator.
                    state = state == State.NotStarted ? State.NotStarted : State.Space;
                    break;
                default:
                    result.Append(current);
                    state = State.NotStarted;
                    break;
            }
        }

        return result.ToString();
    }

    private static readonly ConcurrentDictionary<Enum, string> Boxed = new();

    private enum State
    {
        NotStarted,
        Upper,
        LowerOrDigit,
        Space,
    }

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> ToWire = Enum.GetValues<TEnum>()
            .Distinct()
            .ToDictionary(v => v, v => FromMember(v.ToString()));

        public static readonly Dictionary<string, TEnum> FromWire = ToWire.ToDictionary(p => p.Value, p => p.Key);

        public static readonly string List = string.Join(", ", ToWire.Values);
    }
}
