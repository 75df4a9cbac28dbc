using Pipeline.Durable.History;

namespace Pipeline.Durable.Storage;

public abstract partial class SqlWorkflowStore
{
    public async Task<int> FireDueTimersAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        // Read without locks, then fire each in its own transaction that locks the run first: the same lock
        // order as every other writer, so timers never deadlock with workflow-task commits.
        var due = await ReadAsync(async conn =>
        {
            await using var cmd = Command(conn, null, "SELECT run_id, seq FROM dw_timers WHERE fire_ms <= @now ORDER BY fire_ms LIMIT 500",
                ("@now", Ms(now)));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var list = new List<(string, int)>();
            while (await r.ReadAsync(ct)) list.Add((r.GetString(0), Convert.ToInt32(r.GetValue(1))));
            return list;
        }, ct);
        var fired = 0;
        foreach (var (runId, seq) in due)
        {
            fired += await WriteAsync(async w =>
            {
                var run = await w.LockRunAsync(runId, ct);
                var deleted = await w.Exec("DELETE FROM dw_timers WHERE run_id = @r AND seq = @s", ct, ("@r", runId), ("@s", seq));
                if (deleted == 0 || run is not { IsOpen: true }) return 0;
                await w.AppendAsync(run, new HistoryEvent { EventType = EventType.TimerFired, Timestamp = now, Seq = seq }, ct);
                await w.EnsureWorkflowTaskAsync(run, now, ct);
                return 1;
            }, ct);
        }
        return fired;
    }

    public Task<bool> HasBusyWorkAsync(DateTimeOffset now, CancellationToken ct = default) =>
        ReadAsync(async conn =>
        {
            await using var cmd = Command(conn, null, """
                SELECT
                  (SELECT COUNT(*) FROM dw_workflow_tasks WHERE visible_ms <= @now OR lease_owner IS NOT NULL)
                + (SELECT COUNT(*) FROM dw_activity_tasks WHERE visible_ms <= @now OR lease_owner IS NOT NULL)
                + (SELECT COUNT(*) FROM dw_timers WHERE fire_ms <= @now)
                """, ("@now", Ms(now)));
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct)) > 0;
        }, ct);

    public Task<DateTimeOffset?> GetNextDeadlineAsync(DateTimeOffset now, CancellationToken ct = default) =>
        ReadAsync(async conn =>
        {
            await using var cmd = Command(conn, null, $"""
                SELECT {Dialect.Least}(
                  COALESCE((SELECT MIN(fire_ms) FROM dw_timers), {Never}),
                  COALESCE((SELECT MIN(visible_ms) FROM dw_activity_tasks WHERE lease_owner IS NULL AND visible_ms > @now), {Never}),
                  COALESCE((SELECT MIN(deadline_ms) FROM dw_activity_tasks), {Never}),
                  COALESCE((SELECT MIN(visible_ms) FROM dw_workflow_tasks WHERE visible_ms > @now), {Never}),
                  COALESCE((SELECT MIN(lease_until_ms) FROM dw_workflow_tasks WHERE lease_owner IS NOT NULL), {Never}))
                """, ("@now", Ms(now)));
            var v = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
            return v >= Never ? (DateTimeOffset?)null : FromMs(v);
        }, ct);
}
