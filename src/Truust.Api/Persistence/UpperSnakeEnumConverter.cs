using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Truust.Domain;

namespace Truust.Api.Persistence;

/// <summary>
/// Stores an enum as its <see cref="WireName"/>, the same upper snake case string the API shows
/// (<c>PENDING_PUBLISH</c>), so a row reads the same in psql as in a JSON response, and renaming a C# member cannot
/// silently renumber stored data.
/// </summary>
public sealed class UpperSnakeEnumConverter<TEnum>()
    : ValueConverter<TEnum, string>(v => WireName.Of(v), s => WireName.Parse<TEnum>(s))
    where TEnum : struct, Enum;

/// <summary>
/// An alias of <see cref="WireName.Of{TEnum}"/>, kept only so that branches written against the old name merge
/// without edits; new code (and SQL built in C#) calls <see cref="WireName"/>.
/// </summary>
public static class EnumName
{
    /// <summary>The stored and wire name of an enum value, e.g. <c>PENDING_RELEASE</c>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => WireName.Of(value);
}
