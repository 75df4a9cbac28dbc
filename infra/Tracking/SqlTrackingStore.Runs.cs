using System.Data.Common;
using Dapper;

namespace Pipeline.Infra.Tracking;

// Runs, params, metrics and tags. Every write goes through one transaction per call, LogBatch included.
public sealed partial class SqlTrackingStore
{
    public async Task<TrackedRun> CreateRunAsync(
        string experimentId,
        string name,
        DateTimeOffset startTime,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken ct = default)
    {
        var id = Guid.NewGuid().ToString("N");
        await InTransactionAsync(async (conn, tx) =>
        {
            var found = await conn.ExecuteScalarAsync<int>(Cmd(
                "SELECT COUNT(*) FROM tracking_experiments WHERE experiment_id = @experimentId", new { experimentId }, tx, ct));
            if (found == 0)
            {
                throw new TrackingException(TrackingException.ResourceDoesNotExist, $"No experiment with id '{experimentId}'.");
            }

            await conn.ExecuteAsync(Cmd(
                "INSERT INTO tracking_runs (run_id, experiment_id, name, status, start_ms, end_ms) "
                + "VALUES (@id, @experimentId, @name, @status, @start, NULL)",
                new { id, experimentId, name, status = RunStatusNames.ToName(RunStatus.Running), start = startTime.ToUnixTimeMilliseconds() },
                tx, ct));
            await UpsertTagsAsync(conn, tx, id, tags, ct);
            return 0;
        }, ct);
        return await GetRunAsync(id, ct);
    }

    public async Task<TrackedRun> GetRunAsync(string runId, CancellationToken ct = default)
    {
        await using var conn = await _dialect.OpenAsync(ct);
        var runs = await ReadRunsAsync(conn, "run_id = @runId", new { runId }, ct);
        return runs.Count == 1 ? runs[0] : throw NoSuchRun(runId);
    }

    public async Task UpdateRunAsync(string runId, RunStatus status, DateTimeOffset? endTime, CancellationToken ct = default)
    {
        var changed = await InTransactionAsync((conn, tx) => conn.ExecuteAsync(Cmd(
            "UPDATE tracking_runs SET status = @status, end_ms = @end WHERE run_id = @runId",
            new { runId, status = RunStatusNames.ToName(status), end = endTime?.ToUnixTimeMilliseconds() }, tx, ct)), ct);
        if (changed == 0)
        {
            throw NoSuchRun(runId);
        }
    }

    public Task LogParamAsync(string runId, string key, string value, CancellationToken ct = default) =>
        LogBatchAsync(runId, [], new Dictionary<string, string> { [key] = value }, null, ct);

    public Task LogMetricAsync(string runId, MetricPoint metric, CancellationToken ct = default) =>
        LogBatchAsync(runId, [metric], null, null, ct);

    public Task SetTagAsync(string runId, string key, string value, CancellationToken ct = default) =>
        LogBatchAsync(runId, [], null, new Dictionary<string, string> { [key] = value }, ct);

    public Task LogBatchAsync(
        string runId,
        IReadOnlyList<MetricPoint> metrics,
        IReadOnlyDictionary<string, string>? parameters = null,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken ct = default) =>
        InTransactionAsync(async (conn, tx) =>
        {
            var found = await conn.ExecuteScalarAsync<int>(Cmd(
                "SELECT COUNT(*) FROM tracking_runs WHERE run_id = @runId", new { runId }, tx, ct));
            if (found == 0)
            {
                throw NoSuchRun(runId);
            }

            foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
            {
                await LogParamAsync(conn, tx, runId, key, value, ct);
            }

            await UpsertTagsAsync(conn, tx, runId, tags, ct);
            if (metrics.Count > 0)
            {
                await conn.ExecuteAsync(Cmd(
                    "INSERT INTO tracking_metrics (run_id, key, value, step, timestamp_ms) VALUES (@runId, @Key, @Value, @Step, @Ms)",
                    metrics.Select(m => new { runId, m.Key, m.Value, m.Step, Ms = m.Timestamp.ToUnixTimeMilliseconds() }).ToList(),
                    tx, ct));
            }

            return 0;
        }, ct);

    public async Task<IReadOnlyList<MetricPoint>> GetMetricHistoryAsync(string runId, string key, CancellationToken ct = default)
    {
        await using var conn = await _dialect.OpenAsync(ct);
        var rows = await conn.QueryAsync<(double Value, long Step, long Ms)>(Cmd(
            "SELECT value, step, timestamp_ms FROM tracking_metrics WHERE run_id = @runId AND key = @key ORDER BY step, timestamp_ms",
            new { runId, key }, null, ct));
        return rows.Select(r => new MetricPoint(key, r.Value, r.Step, FromMs(r.Ms))).ToList();
    }

    private static async Task LogParamAsync(DbConnection conn, DbTransaction tx, string runId, string key, string value, CancellationToken ct)
    {
        // Insert-if-absent, then compare: the same value again is a no-op, a different one an error (MLflow's rule).
        await conn.ExecuteAsync(Cmd(
            "INSERT INTO tracking_params (run_id, key, value) VALUES (@runId, @key, @value) ON CONFLICT (run_id, key) DO NOTHING",
            new { runId, key, value }, tx, ct));
        var stored = await conn.ExecuteScalarAsync<string>(Cmd(
            "SELECT value FROM tracking_params WHERE run_id = @runId AND key = @key", new { runId, key }, tx, ct));
        if (stored != value)
        {
            throw new TrackingException(
                TrackingException.InvalidParameterValue,
                $"Param '{key}' of run '{runId}' is already '{stored}'; params are immutable, cannot change it to '{value}'.");
        }
    }

    private static async Task UpsertTagsAsync(
        DbConnection conn, DbTransaction tx, string runId, IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
    {
        if (tags is null || tags.Count == 0)
        {
            return;
        }

        await conn.ExecuteAsync(Cmd(
            "INSERT INTO tracking_tags (run_id, key, value) VALUES (@runId, @Key, @Value) "
            + "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
            tags.Select(t => new { runId, t.Key, t.Value }).ToList(), tx, ct));
    }

    private static TrackingException NoSuchRun(string runId) =>
        new(TrackingException.ResourceDoesNotExist, $"No run with id '{runId}'.");
}
