namespace Truust.Api.Persistence;

/// <summary>
/// Something to wake once a commit has landed (a worker with new work). Persistence names only this, so the commit
/// path does not depend on the workers that it wakes.
/// </summary>
public interface ICommitSignal
{
    void Wake();
}
