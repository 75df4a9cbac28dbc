using System.Data.Common;
using Pipeline.Durable.History;

namespace Pipeline.Durable.Storage;

/// <summary>One write transaction: locks runs, appends events, moves tasks, and collects the notifications
/// to publish when it commits.</summary>
internal sealed class WriteContext(SqlWorkflowStore store, DbConnection conn, DbTransaction tx)
{
    public DbConnection Conn { get; } = conn;
    public DbTransaction Tx { get; } = tx;
    public HashSet<string> Notifications { get; } = [];
    public bool Rollback { get; set; }

    public Task<int> Exec(string sql, CancellationToken ct, params (string, object?)[] args) =>
        SqlWorkflowStore.Exec(Conn, Tx, sql, ct, args);

    public DbCommand Command(string sql, params (string, object?)[] args) => SqlWorkflowStore.Command(Conn, Tx, sql, args);

    /// <summary>Locks the run row for the rest of the transaction (serializes event-id allocation).</summary>
    public async Task<RunRow?> LockRunAsync(string runId, CancellationToken ct)
    {
        await using var cmd = Command($"SELECT {RunRow.Columns} FROM dw_runs WHERE run_id = @r{store.DialectForUpdate}", ("@r", runId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? RunRow.Read(r) : null;
    }

    /// <summary>Appends an event to the run's history, giving it the next event id.</summary>
    public async Task<HistoryEvent> AppendAsync(RunRow run, HistoryEvent e, CancellationToken ct)
    {
        e = e with { EventId = ++run.LastEventId };
        await Exec("INSERT INTO dw_events (run_id, event_id, event_type, time_ms, attrs) VALUES (@r, @e, @t, @m, @a)", ct,
            ("@r", run.RunId), ("@e", e.EventId), ("@t", e.EventType.ToString()),
            ("@m", SqlWorkflowStore.Ms(e.Timestamp)), ("@a", SqlWorkflowStore.Json(e)));
        Notifications.Add(Notifier.RunKey(run.RunId));
        return e;
    }

    /// <summary>Stores the run's new last event id (call once after appending).</summary>
    public Task SaveRunVersionAsync(RunRow run, CancellationToken ct) =>
        Exec("UPDATE dw_runs SET last_event_id = @e WHERE run_id = @r", ct, ("@e", run.LastEventId), ("@r", run.RunId));

    /// <summary>Makes sure the run has a workflow task. A task already leased stays leased: its holder's commit
    /// will fail the version check and release it, so the new events are never missed.</summary>
    public async Task EnsureWorkflowTaskAsync(RunRow run, DateTimeOffset visibleAt, CancellationToken ct)
    {
        await Exec("""
            INSERT INTO dw_workflow_tasks (run_id, task_queue, visible_ms, attempt) VALUES (@r, @q, @v, 1)
            ON CONFLICT (run_id) DO NOTHING
            """, ct, ("@r", run.RunId), ("@q", run.TaskQueue), ("@v", SqlWorkflowStore.Ms(visibleAt)));
        Notifications.Add(Notifier.TaskKey(TaskKind.Workflow, run.TaskQueue));
    }
}
