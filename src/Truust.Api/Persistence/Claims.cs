using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Truust.Api.Persistence;

/// <summary>
/// What a job claims: rows of <paramref name="Table"/> (aliased <paramref name="Alias"/>, with optional
/// <see cref="Joins"/>) that are <paramref name="Due"/>, oldest first by <paramref name="OrderBy"/>. The
/// table, alias, joins and ordering are SQL text written in code; the values in <paramref name="Due"/> become
/// parameters.
/// </summary>
public sealed record ClaimQuery(string Table, string Alias, FormattableString Due, string OrderBy)
{
    /// <summary>Tables joined to decide what is due (<c>JOIN orders o ON o.payout_id = p.id</c>); only the claimed
    /// table's rows are locked and leased.</summary>
    public string Joins { get; init; } = "";
}

/// <summary>
/// The one leased claim every job uses. A single statement picks up to N due rows whose lease has ended,
/// skipping rows another instance holds locked, and pushes their <see cref="LeaseColumn"/> to the end of a new
/// lease. Being one statement, it is atomic without an explicit transaction: the rows it returns are this caller's
/// until the lease ends, so several API instances share a database without two of them working on one item, and
/// an item whose worker died is claimed again once its lease runs out.
/// </summary>
public static class Claims
{
    /// <summary>The column every claimable table carries: when the row may next be claimed.</summary>
    public const string LeaseColumn = "next_attempt_at";

    /// <summary>The shadow property that maps <see cref="LeaseColumn"/> on entities given one by
    /// <see cref="HasClaimLease{T}"/>.</summary>
    public const string LeaseProperty = "NextAttemptAt";

    /// <summary>
    /// Gives an entity whose own data has no retry time (a payin, a campaign) the lease column, as a shadow
    /// property: the lease is the workers' business, not the domain's. A new row is due at once (DEFAULT now()).
    /// </summary>
    public static void HasClaimLease<T>(this EntityTypeBuilder<T> entity)
        where T : class =>
        entity.Property<DateTimeOffset>(LeaseProperty).HasColumnName(LeaseColumn).HasDefaultValueSql("now()");

    /// <summary>Claims up to <paramref name="limit"/> rows of <paramref name="query"/> and returns their ids.</summary>
    public static Task<List<string>> ClaimAsync(
        this TruustDbContext db,
        ClaimQuery query,
        DateTimeOffset now,
        DateTimeOffset leaseUntil,
        int limit,
        CancellationToken ct
    )
    {
        // The job's own condition keeps its placeholders {0}..{n-1}; the claim's three values follow them.
        var n = query.Due.ArgumentCount;
        var a = Sql(query.Alias);
        var format = $$"""
            UPDATE {{Sql(query.Table)}} SET {{LeaseColumn}} = {{{n}}}
            WHERE id IN (
                SELECT {{a}}.id FROM {{Sql(query.Table)}} {{a}} {{Sql(query.Joins)}}
                WHERE {{a}}.{{LeaseColumn}} <= {{{n + 1}}} AND ({{query.Due.Format}})
                ORDER BY {{Sql(query.OrderBy)}} LIMIT {{{n + 2}}}
                FOR UPDATE OF {{a}} SKIP LOCKED)
            RETURNING id AS "Value"
            """;
        object?[] arguments = [.. query.Due.GetArguments(), leaseUntil, now, limit];
        return db.Database.SqlQuery<string>(FormattableStringFactory.Create(format, arguments)).ToListAsync(ct);
    }

    /// <summary>
    /// Handles the claimed <paramref name="ids"/> one by one. When the instance shuts down (<paramref name="ct"/>
    /// cancelled) or a handler throws, the items not handled are released at once (their lease ends now), so another
    /// instance takes them on its next round instead of waiting for the lease: a deploy or a scale-down delays no
    /// work. An item whose handler failed keeps its lease, so one bad item is not retried in a tight loop. Releasing
    /// is fenced on the lease this claim set: a row its handler rescheduled, or another instance claimed since,
    /// keeps its time. Releasing an item whose work was in fact done is harmless: it is no longer due.
    /// </summary>
    public static async Task HandleEachAsync(
        this TruustDbContext db,
        ClaimQuery query,
        IReadOnlyList<string> ids,
        DateTimeOffset claimedAt,
        DateTimeOffset leaseUntil,
        Func<string, Task> handle,
        CancellationToken ct
    )
    {
        var handled = 0;
        var failed = false;
        try
        {
            foreach (var id in ids)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    await handle(id);
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    failed = true;
                    throw;
                }

                handled++;
            }
        }
        finally
        {
            // A handler that failed on its own keeps its item leased; one cut short by the shutdown gives it back.
            var unhandled = ids.Skip(failed ? handled + 1 : handled).ToArray();
            if (unhandled.Length > 0)
            {
                await ReleaseAsync(db, query.Table, unhandled, claimedAt, leaseUntil);
            }
        }
    }

    /// <summary>Ends the lease of <paramref name="ids"/> now, if it is still the one this instance set.</summary>
    private static async Task ReleaseAsync(
        TruustDbContext db,
        string table,
        string[] ids,
        DateTimeOffset claimedAt,
        DateTimeOffset leaseUntil
    )
    {
        var format = $$"""
            UPDATE {{Sql(table)}} SET {{LeaseColumn}} = {0} WHERE id = ANY({1}) AND {{LeaseColumn}} = {2}
            """;
        try
        {
            // Not the stopping token: this runs because it was cancelled. A short timeout bounds the shutdown.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await db.Database.ExecuteSqlAsync(
                FormattableStringFactory.Create(format, claimedAt, ids, leaseUntil),
                timeout.Token
            );
        }
        catch (Exception e) when (e is OperationCanceledException || DatabaseOutage.Find(e) is not null)
        {
            // The database is out of reach: the leases then end on their own, as after a crash.
        }
    }

    /// <summary>SQL text written in code, with its braces escaped so the format string keeps it literal.</summary>
    private static string Sql(string text) => text.Replace("{", "{{").Replace("}", "}}");
}
