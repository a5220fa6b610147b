namespace Truust.Api.Persistence;

/// <summary>
/// The platform's sandbox clock in a claim: a job that claims rows whose deadline passed joins
/// <see cref="Join"/> and compares the deadline with <c>{now} + clock_platform.clock_offset_seconds * interval
/// '1 second'</c> (written out in the condition, since a claim's interpolated values become parameters), so each row
/// is due by its own platform's clock in one statement. The lease column keeps comparing with real time.
/// </summary>
public static class PlatformClockSql
{
    /// <summary>The join that brings the row's platform in as <c>clock_platform</c>.</summary>
    public static string Join(string platformIdColumn) =>
        $"JOIN platforms clock_platform ON clock_platform.id = {platformIdColumn}";
}
