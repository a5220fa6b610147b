using Npgsql;

namespace Truust.Api.Persistence;

/// <summary>
/// Tells "the database is not reachable right now" (down, restarting, failing over, out of connections, killing
/// sessions) from a bug. Such a failure is the caller's cue to retry, not a defect: it answers 503 with
/// Retry-After and logs one line, and the connection pool recovers by itself once PostgreSQL is back.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>What a 503 asks the caller to wait: about as long as a PostgreSQL restart or failover takes.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// The exception in <paramref name="exception"/>'s chain (EF Core wraps Npgsql's in DbUpdateException or, from
    /// its execution strategy, InvalidOperationException) that shows the database unavailable; null otherwise.
    /// </summary>
    public static Exception? Find(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // The server answered: its SQLSTATE decides, and nothing further down the chain can overrule it.
                case PostgresException postgres:
                    return IsUnavailable(postgres) ? postgres : null;
                // Npgsql's own view: a broken or timed-out connection, a failed connect (it wraps the socket error
                // or timeout), an exhausted pool. A bare timeout from elsewhere (a gateway) is not the database's.
                case NpgsqlException { IsTransient: true }:
                    return e;
            }
        }

        return null;
    }

    private static bool IsUnavailable(PostgresException e) =>
        e.SqlState switch
        {
            // Two requests colliding, not an outage: those are 409s where the code expects them.
            PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected => false,
            // A server that cannot write (25006): a standby being promoted, which the balancer already routes to
            // while it finishes recovery (seen in deploy/failover-drill.sh), or a connection still on a demoted
            // primary. Truust never opens a read-only transaction itself, so this is never a bug of its own.
            PostgresErrorCodes.ReadOnlySqlTransaction => true,
            // Connection exceptions (class 08), shutdowns (57P01 admin, 57P02 crash, 57P03 cannot connect now) and
            // too many connections (53300) are all what Npgsql counts as transient, with 55000 (a database closed to
            // connections) and the other resource shortages of class 53.
            _ => e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.IsTransient,
        };
}
