using Pipeline.Durable.History;
using Pipeline.Durable.Runtime;

namespace Pipeline.Durable.Storage;

public abstract partial class SqlWorkflowStore
{
    public Task<WorkflowTaskLease?> PollWorkflowTaskAsync(string taskQueue, string identity, DateTimeOffset now, CancellationToken ct = default) =>
        WriteAsync<WorkflowTaskLease?>(async w =>
        {
            string runId;
            int attempt;
            await using (var cmd = w.Command($"""
                SELECT run_id, attempt FROM dw_workflow_tasks
                WHERE task_queue = @q AND visible_ms <= @now AND (lease_owner IS NULL OR lease_until_ms <= @now)
                ORDER BY visible_ms LIMIT 1{Dialect.ForUpdateSkipLocked}
                """, ("@q", taskQueue), ("@now", Ms(now))))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                if (!await r.ReadAsync(ct)) return null;
                (runId, attempt) = (r.GetString(0), Convert.ToInt32(r.GetValue(1)));
            }
            var leaseOwner = $"{identity}#{Guid.NewGuid():N}";
            await w.Exec("""
                UPDATE dw_workflow_tasks SET lease_owner = @o,
                  lease_until_ms = @now + (SELECT wft_timeout_ms FROM dw_runs WHERE dw_runs.run_id = @r)
                WHERE run_id = @r
                """, ct, ("@o", leaseOwner), ("@now", Ms(now)), ("@r", runId));
            var run = await ReadRunByIdAsync(w, runId, ct);
            var history = await ReadHistoryAsync(w.Conn, w.Tx, runId, ct);
            if (run is null || history.Count == 0) return null;
            return new WorkflowTaskLease
            {
                // The version to check at commit is the history we actually read, not the run row.
                Run = run with { LastEventId = history[^1].EventId },
                History = history, StartedAt = now, Identity = identity, Attempt = attempt, LeaseOwner = leaseOwner,
            };
        }, ct);

    private static async Task<RunInfo?> ReadRunByIdAsync(WriteContext w, string runId, CancellationToken ct)
    {
        await using var cmd = w.Command($"SELECT {RunColumns} FROM dw_runs WHERE run_id = @r", ("@r", runId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadRun(r) : null;
    }

    public Task<bool> CompleteWorkflowTaskAsync(WorkflowTaskLease lease, IReadOnlyList<WorkflowCommand> commands,
        DateTimeOffset now, CancellationToken ct = default) =>
        WriteAsync(async w =>
        {
            var run = await w.LockRunAsync(lease.Run.RunId, ct);
            if (run is null || !run.IsOpen) return false;
            if (run.LastEventId != lease.ExpectedLastEventId)
            {
                await ReleaseWorkflowTaskAsync(w, lease, now, ct);
                return false;
            }
            // A task that saw no new events and decided nothing leaves no trace (e.g. a duplicate wake-up).
            var sawNewEvents = lease.History[^1].EventType != EventType.WorkflowTaskCompleted && !lease.History[^1].IsCommandEvent;
            if (commands.Count > 0 || sawNewEvents)
            {
                await w.AppendAsync(run, new HistoryEvent
                {
                    EventType = EventType.WorkflowTaskCompleted, Timestamp = now, Identity = lease.Identity, Time = lease.StartedAt,
                    Attempt = lease.Attempt,
                }, ct);
            }
            var applier = new CommandApplier(this, w, run, lease, now);
            foreach (var command in commands)
            {
                if (!run.IsOpen) break;
                await applier.ApplyAsync(command, ct);
            }
            if (!run.IsOpen) return true;
            await applier.AppendEffectsAsync(ct);
            await w.SaveRunVersionAsync(run, ct);
            if (applier.NeedsAnotherTask)
                await w.Exec("UPDATE dw_workflow_tasks SET lease_owner = NULL, lease_until_ms = NULL, visible_ms = @now, attempt = 1 WHERE run_id = @r",
                    ct, ("@now", Ms(now)), ("@r", run.RunId));
            else
                await w.Exec("DELETE FROM dw_workflow_tasks WHERE run_id = @r", ct, ("@r", run.RunId));
            return true;
        }, ct);

    private static Task ReleaseWorkflowTaskAsync(WriteContext w, WorkflowTaskLease lease, DateTimeOffset now, CancellationToken ct)
    {
        w.Notifications.Add(Notifier.TaskKey(TaskKind.Workflow, lease.Run.TaskQueue));
        return w.Exec("UPDATE dw_workflow_tasks SET lease_owner = NULL, lease_until_ms = NULL, visible_ms = @now WHERE run_id = @r AND lease_owner = @o",
            ct, ("@now", Ms(now)), ("@r", lease.Run.RunId), ("@o", lease.LeaseOwner));
    }

    public Task FailWorkflowTaskAsync(WorkflowTaskLease lease, Failure failure, DateTimeOffset retryAt, DateTimeOffset now,
        CancellationToken ct = default) =>
        WriteAsync(async w =>
        {
            var run = await w.LockRunAsync(lease.Run.RunId, ct);
            if (run is not { IsOpen: true }) return 0;
            // Recorded once per streak of failures, as Temporal does, so a stuck run does not grow its history.
            if (lease.Attempt == 1)
            {
                await w.AppendAsync(run, new HistoryEvent
                {
                    EventType = EventType.WorkflowTaskFailed, Timestamp = now, Identity = lease.Identity, Failure = failure, Attempt = lease.Attempt,
                }, ct);
                await w.SaveRunVersionAsync(run, ct);
            }
            return await w.Exec("""
                UPDATE dw_workflow_tasks SET lease_owner = NULL, lease_until_ms = NULL, visible_ms = @v, attempt = attempt + 1
                WHERE run_id = @r AND lease_owner = @o
                """, ct, ("@v", Ms(retryAt)), ("@r", run.RunId), ("@o", lease.LeaseOwner));
        }, ct);
}
