using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Pipeline.Infra.Tracking;

/// <summary>
/// The only places where SQLite and PostgreSQL differ for the tracking tables: how a connection opens, how a
/// concurrent schema creation is serialized, and how a unique violation looks. The SQL itself is shared (both
/// accept BIGINT, DOUBLE PRECISION and INSERT … ON CONFLICT).
/// </summary>
internal sealed class TrackingDialect
{
    private readonly Func<DbConnection> _create;
    private readonly string _onOpen;

    private TrackingDialect(Func<DbConnection> create, string onOpen, string? schemaLock, Func<DbException, bool> isUnique)
    {
        _create = create;
        _onOpen = onOpen;
        SchemaLockSql = schemaLock;
        IsUniqueViolation = isUnique;
    }

    /// <summary>Run inside the schema transaction first; null where the write transaction already serializes.</summary>
    public string? SchemaLockSql { get; }

    public Func<DbException, bool> IsUniqueViolation { get; }

    public static TrackingDialect Sqlite(string path)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 60 }.ToString();
        // Same pragmas as the workflow store (durable/Storage/SqliteDialect.cs): both share the file.
        return new(
            () => new SqliteConnection(cs),
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000;",
            null,
            e => e is SqliteException { SqliteErrorCode: 19 });
    }

    public static TrackingDialect Postgres(string connectionString) => new(
        () => new NpgsqlConnection(connectionString),
        "",
        // CREATE TABLE IF NOT EXISTS races in PostgreSQL (a unique violation on pg_type); a lock serializes it.
        "SELECT pg_advisory_xact_lock(727274)",
        e => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation });

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var conn = _create();
        try
        {
            await conn.OpenAsync(ct);
            if (_onOpen.Length > 0)
            {
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = _onOpen;
                await cmd.ExecuteNonQueryAsync(ct);
            }

            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }
}
