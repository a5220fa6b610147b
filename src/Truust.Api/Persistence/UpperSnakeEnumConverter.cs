using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Truust.Api.Persistence;

/// <summary>
/// Stores an enum as the same upper snake case string the API shows (<c>PENDING_PUBLISH</c>), so a row reads
/// the same in psql as in a JSON response, and renaming a C# member cannot silently renumber stored data.
/// </summary>
public sealed class UpperSnakeEnumConverter<TEnum>()
    : ValueConverter<TEnum, string>(v => Names.ToName[v], s => Names.FromName[s])
    where TEnum : struct, Enum
{
    private static class Names
    {
        public static readonly Dictionary<TEnum, string> ToName = Enum.GetValues<TEnum>()
            .ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseUpper.ConvertName(v.ToString()));

        public static readonly Dictionary<string, TEnum> FromName = ToName.ToDictionary(p => p.Value, p => p.Key);
    }

    public static string Name(TEnum value) => Names.ToName[value];
}

public static class EnumName
{
    /// <summary>The stored and wire name of an enum value, e.g. <c>PENDING_RELEASE</c>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => UpperSnakeEnumConverter<TEnum>.Name(value);
}
