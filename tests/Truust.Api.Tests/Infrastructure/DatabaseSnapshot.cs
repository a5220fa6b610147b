using Npgsql;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>
/// Every table's row count and a hash of its rows. Two equal snapshots mean no row was added, removed or changed:
/// stronger than counting rows, which misses an update (a rejected PATCH that still wrote, for instance).
/// </summary>
public sealed record DatabaseSnapshot(IReadOnlyDictionary<string, (long Rows, string Hash)> Tables)
{
    public static async Task<DatabaseSnapshot> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (
            var list = new NpgsqlCommand(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
                    + "WHERE schemaname IN ('public', 'simulator') AND tablename <> '__EFMigrationsHistory' ORDER BY 1",
                connection
            )
        )
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var result = new SortedDictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t",
                connection
            );
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            result[table] = (reader.GetInt64(0), reader.GetString(1));
        }

        return new DatabaseSnapshot(result);
    }

    /// <summary>Fails naming each table whose rows differ from <paramref name="before"/>.</summary>
    public void AssertSameAs(DatabaseSnapshot before)
    {
        Assert.NotEmpty(before.Tables);
        var changed = Tables
            .Keys.Union(before.Tables.Keys)
            .Where(t =>
                !Tables.TryGetValue(t, out var now) || !before.Tables.TryGetValue(t, out var then) || now != then
            )
            .Select(t => $"{t}: {Describe(before, t)} -> {Describe(this, t)}")
            .ToList();
        if (changed.Count > 0)
        {
            Assert.Fail(
                "The request should not have changed the database, but these tables changed:\n"
                    + string.Join('\n', changed)
            );
        }
    }

    private static string Describe(DatabaseSnapshot snapshot, string table) =>
        snapshot.Tables.TryGetValue(table, out var t)
            ? $"{t.Rows} rows ({t.Hash[..Math.Min(8, t.Hash.Length)]})"
            : "absent";
}
