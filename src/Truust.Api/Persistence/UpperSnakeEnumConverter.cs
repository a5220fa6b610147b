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
