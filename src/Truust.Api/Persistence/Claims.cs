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

    /// <summary>
    /// Gives an entity whose own data has no retry time (a payin, a campaign) the lease column, as a shadow
    /// property: the lease is the workers' business, not the domain's. A new row is due at once (DEFAULT now()).
    /// </summary>
    public static void HasClaimLease<T>(this EntityTypeBuilder<T> entity)
        where T : class =>
        entity.Property<DateTimeOffset>("NextAttemptAt").HasColumnName(LeaseColumn).HasDefaultValueSql("now()");

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

    /// <summary>SQL text written in code, with its braces escaped so the format string keeps it literal.</summary>
    private static string Sql(string text) => text.Replace("{", "{{").Replace("}", "}}");
}
