using System.Data.Common;
using System.Text.Json;
using Pipeline.Durable.History;

namespace Pipeline.Durable.Storage;

/// <summary>The workflow store on a SQL database. One implementation, two dialects (SQLite, PostgreSQL): the
/// same transactions and the same tests run against both. Times are stored as Unix milliseconds (UTC).</summary>
public abstract partial class SqlWorkflowStore : IWorkflowStore
{
    private protected readonly SqlDialect Dialect;
    private protected readonly Notifier Local;

    private protected SqlWorkflowStore(SqlDialect dialect, Notifier local)
    {
        Dialect = dialect;
        Local = local;
    }

    public abstract string Description { get; }

    internal string DialectForUpdate => Dialect.ForUpdate;

    public abstract TimeSpan PollFallbackInterval { get; }

    public virtual Task NextTaskSignal(string taskQueue, TaskKind kind) => Local.Next(Notifier.TaskKey(kind, taskQueue));

    public virtual Task NextRunSignal(string runId) => Local.Next(Notifier.RunKey(runId));

    public virtual Task NextMaintenanceSignal() => Local.Next(Notifier.MaintenanceKey);

    public void WakeAllPollers() => Local.PulseAll();

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var conn = await Dialect.OpenAsync(ct);
        await using var tx = await Dialect.BeginWriteAsync(conn, ct);
        await Dialect.LockSchemaAsync(conn, tx, ct);
        foreach (var statement in Schema.Statements)
            await Exec(conn, tx, statement.Replace("{Fill}", Dialect.TableOptions), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Runs <paramref name="body"/> in one write transaction and publishes its notifications after
    /// (in-process) and inside it (other processes, where the dialect can).</summary>
    internal async Task<T> WriteAsync<T>(Func<WriteContext, Task<T>> body, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(body, ct);
            }
            catch (DbException e) when (attempt < 8 && Dialect.IsTransient(e))
            {
                // Deadlock victim or lock timeout: the transaction rolled back whole; run it again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10) * attempt), ct);
            }
        }
    }

    private async Task<T> WriteOnceAsync<T>(Func<WriteContext, Task<T>> body, CancellationToken ct)
    {
        await using var conn = await Dialect.OpenAsync(ct);
        if (Dialect.InlineBeginSql is { } begin) return await WriteInlineAsync(conn, begin, body, ct);
        await using var tx = await Dialect.BeginWriteAsync(conn, ct);
        var w = new WriteContext(this, conn, tx);
        var result = await body(w);
        if (w.Rollback)
        {
            await tx.RollbackAsync(ct);
            return result;
        }
        if (w.Notifications.Count > 0 && Dialect.PublishSql(w.Notifications) is { } publish) w.Defer(publish.Sql, publish.Args);
        await w.FlushAsync(ct);
        await tx.CommitAsync(ct);
        foreach (var key in w.Notifications) Local.Pulse(key);
        return result;
    }

    /// <summary>The same transaction with BEGIN sent along with the first statement and COMMIT along with the last
    /// writes: a typical step then costs two round trips instead of four.</summary>
    private async Task<T> WriteInlineAsync<T>(DbConnection conn, string begin, Func<WriteContext, Task<T>> body, CancellationToken ct)
    {
        var w = new WriteContext(this, conn, null) { BeginSql = begin };
        try
        {
            var result = await body(w);
            if (w.Rollback)
            {
                if (w.Begun) await Exec(conn, null, "ROLLBACK", ct);
                return result;
            }
            if (w.Notifications.Count > 0 && Dialect.PublishSql(w.Notifications) is { } publish) w.Defer(publish.Sql, publish.Args);
            await w.CommitAsync(ct);
            foreach (var key in w.Notifications) Local.Pulse(key);
            return result;
        }
        catch when (w.Begun)
        {
            // Leave the pooled connection clean; if it is broken, the pool discards it anyway.
            try { await Exec(conn, null, "ROLLBACK", CancellationToken.None); } catch (Exception) { }
            throw;
        }
    }

    private protected async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> body, CancellationToken ct)
    {
        await using var conn = await Dialect.OpenAsync(ct);
        return await body(conn);
    }

    internal static DbCommand Command(DbConnection conn, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    internal static async Task<int> Exec(DbConnection conn, DbTransaction? tx, string sql, CancellationToken ct,
        params (string, object?)[] args)
    {
        await using var cmd = Command(conn, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    internal static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    internal static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    internal static DateTimeOffset? FromMs(object? v) => v is null or DBNull ? null : FromMs(Convert.ToInt64(v));

    internal static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    internal static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i));

    internal static string Json<T>(T value) => JsonSerializer.Serialize(value, DataConverter.Options);

    internal static T? FromJson<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, DataConverter.Options);

    internal static HistoryEvent ReadEvent(DbDataReader r, int attrsColumn) =>
        FromJson<HistoryEvent>(r.GetString(attrsColumn))
        ?? throw new InvalidDataException("history event with empty attributes");
}
