namespace Truust.Domain;

/// <summary>An object with an opaque, time-ordered id (see <see cref="Ids"/>).</summary>
public interface IHasId
{
    string Id { get; }
}
