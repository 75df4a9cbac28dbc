using System.Data;
using System.Data.Common;
using Npgsql;

namespace Pipeline.Durable.Storage;

internal sealed class PostgresDialect(NpgsqlDataSource dataSource) : SqlDialect
{
    public const string Channel = "pipeline_durable";

    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";
    public override string ForUpdate => " FOR UPDATE";
    public override string Least => "LEAST";

    // Room on each page for the new row version: updates of versions and leases stay HOT (no index writes).
    public override string TableOptions => " WITH (fillfactor = 80)";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await dataSource.OpenConnectionAsync(ct);

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection conn, CancellationToken ct) =>
        await ((NpgsqlConnection)conn).BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

    public override async Task LockSchemaAsync(DbConnection conn, DbTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(727274)", (NpgsqlConnection)conn, (NpgsqlTransaction)tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public override string? InlineBeginSql => "BEGIN ISOLATION LEVEL READ COMMITTED; ";

    public override (string Sql, (string, object?)[] Args)? PublishSql(IReadOnlyCollection<string> keys) =>
        ($"SELECT pg_notify('{Channel}', k) FROM unnest(@keys) AS k", [("@keys", keys.ToArray())]);

    public override bool IsUniqueViolation(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsTransient(DbException e) => e is PostgresException
    {
        SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.LockNotAvailable,
    };
}
