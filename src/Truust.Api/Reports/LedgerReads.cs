using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Truust.Api.Persistence;

namespace Truust.Api.Reports;

/// <summary>
/// Raw reads of <c>ledger_transfers</c> for the reports, on the DbContext's own connection: a report's SQL groups and
/// unions the two sides of each transfer, which LINQ would not say more clearly, and a streamed report reads its rows
/// from an open data reader one at a time.
/// </summary>
public static class LedgerReads
{
    /// <summary>Each transfer as two signed movements: + for the credited account, − for the debited one.</summary>
    public const string Movements = """
        SELECT credit_account AS account, currency, amount_minor AS delta, id, kind, reference, order_id, created_at,
               posting_sequence
        FROM ledger_transfers WHERE (@platform IS NULL OR platform_id = @platform)
        UNION ALL
        SELECT debit_account, currency, -amount_minor, id, kind, reference, order_id, created_at, posting_sequence
        FROM ledger_transfers WHERE (@platform IS NULL OR platform_id = @platform)
        """;

    /// <summary>Runs <paramref name="sql"/>; disposing the rows closes the reader and the connection.</summary>
    public static async Task<LedgerRows> ReadAsync(
        TruustDbContext db,
        string sql,
        IReadOnlyDictionary<string, object?> parameters,
        CancellationToken ct
    )
    {
        await db.Database.OpenConnectionAsync(ct);
        var command = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(
                value is null
                    ? new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Text) { Value = DBNull.Value }
                    : new NpgsqlParameter(name, value)
            );
        }

        var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        return new LedgerRows(db, command, reader);
    }
}

/// <summary>An open reader over report rows, on the DbContext's connection (closed again on dispose).</summary>
public sealed class LedgerRows(TruustDbContext db, DbCommand command, DbDataReader reader) : IAsyncDisposable
{
    public DbDataReader Reader => reader;

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
        await db.Database.CloseConnectionAsync();
    }
}
