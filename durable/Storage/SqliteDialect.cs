using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Pipeline.Durable.Storage;

internal sealed class SqliteDialect(string connectionString) : SqlDialect
{
    public override string ForUpdateSkipLocked => "";
    public override string ForUpdate => "";
    public override string Least => "MIN";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var conn = new SqliteConnection(connectionString);
        await conn.OpenAsync(ct);
        // WAL: readers never block the writer; NORMAL sync is durable across process crashes (kill -9),
        // only a power loss can drop the last commits.
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000;";
        await cmd.ExecuteNonQueryAsync(ct);
        return conn;
    }

    // Not deferred = BEGIN IMMEDIATE: take the write lock up front, so two writers never both read then
    // collide on upgrade (which SQLite would answer with SQLITE_BUSY mid-transaction).
    public override Task<DbTransaction> BeginWriteAsync(DbConnection conn, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)conn).BeginTransaction(deferred: false));

    public override Task LockSchemaAsync(DbConnection conn, DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    public override bool IsUniqueViolation(DbException e) => e is SqliteException { SqliteErrorCode: 19 };

    public override bool IsTransient(DbException e) => e is SqliteException { SqliteErrorCode: 5 or 6 };
}
