using System.Data.Common;
using Dapper;

namespace Pipeline.Infra.Tracking;

/// <summary>
/// The embedded tracking store: MLflow's model in a few <c>tracking_</c> tables on the workflow store's own database
/// (a SQLite file or a PostgreSQL connection string), so a single-machine setup needs no extra service.
/// </summary>
public sealed partial class SqlTrackingStore : ITrackingStore
{
    private readonly TrackingDialect _dialect;
    private readonly TimeProvider _clock;

    private SqlTrackingStore(TrackingDialect dialect, TimeProvider clock)
    {
        _dialect = dialect;
        _clock = clock;
    }

    /// <summary>Opens (and creates, if missing) the tracking tables in the SQLite file at <paramref name="path"/>.</summary>
    public static Task<SqlTrackingStore> OpenSqliteAsync(string path, TimeProvider? clock = null, CancellationToken ct = default) =>
        OpenAsync(TrackingDialect.Sqlite(path), clock, ct);

    /// <summary>Opens (and creates, if missing) the tracking tables in the PostgreSQL database.</summary>
    public static Task<SqlTrackingStore> OpenPostgresAsync(string connectionString, TimeProvider? clock = null, CancellationToken ct = default) =>
        OpenAsync(TrackingDialect.Postgres(connectionString), clock, ct);

    private static async Task<SqlTrackingStore> OpenAsync(TrackingDialect dialect, TimeProvider? clock, CancellationToken ct)
    {
        var store = new SqlTrackingStore(dialect, clock ?? TimeProvider.System);
        await store.InTransactionAsync(async (conn, tx) =>
        {
            if (dialect.SchemaLockSql is { } lockSql)
            {
                await conn.ExecuteAsync(Cmd(lockSql, null, tx, ct));
            }

            foreach (var statement in TrackingSchema.Statements)
            {
                await conn.ExecuteAsync(Cmd(statement, null, tx, ct));
            }

            return 0;
        }, ct);
        return store;
    }

    public async Task<Experiment> CreateExperimentAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (await GetExperimentByNameAsync(name, ct) is { } existing)
        {
            return existing;
        }

        var id = Guid.NewGuid().ToString("N");
        try
        {
            await InTransactionAsync((conn, tx) => conn.ExecuteAsync(Cmd(
                "INSERT INTO tracking_experiments (experiment_id, name, created_ms) VALUES (@id, @name, @now)",
                new { id, name, now = NowMs() }, tx, ct)), ct);
            return new Experiment(id, name);
        }
        catch (DbException e) when (_dialect.IsUniqueViolation(e))
        {
            // Another caller created it between our read and our insert.
            return await GetExperimentByNameAsync(name, ct) ?? throw new InvalidOperationException("Experiment vanished.", e);
        }
    }

    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken ct = default)
    {
        await using var conn = await _dialect.OpenAsync(ct);
        var rows = await conn.QueryAsync<(string Id, string Name)>(Cmd(
            "SELECT experiment_id, name FROM tracking_experiments WHERE name = @name", new { name }, null, ct));
        return rows.Select(r => new Experiment(r.Id, r.Name)).FirstOrDefault();
    }

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static CommandDefinition Cmd(string sql, object? args, DbTransaction? tx, CancellationToken ct) =>
        new(sql, args, tx, cancellationToken: ct);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var conn = await _dialect.OpenAsync(ct);
        // SQLite: BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), so writers queue up front instead of failing late.
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await work(conn, tx);
        await tx.CommitAsync(ct);
        return result;
    }
}
