using Pipeline.Durable.History;
using Pipeline.Durable.Runtime;

namespace Pipeline.Durable.Storage;

public abstract partial class SqlWorkflowStore
{
    public Task<WorkflowTaskLease?> PollWorkflowTaskAsync(string taskQueue, string identity, DateTimeOffset now,
        Func<string, long>? knownHistory = null, CancellationToken ct = default) =>
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
            return await LeaseWorkflowTaskAsync(w, runId, attempt, identity, now, knownHistory?.Invoke(runId) ?? 0, ct);
        }, ct);

    /// <summary>Leases the run's workflow task (already chosen and locked by the caller) and reads what the worker
    /// needs: the run and its history after <paramref name="known"/>.</summary>
    private static async Task<WorkflowTaskLease?> LeaseWorkflowTaskAsync(WriteContext w, string runId, int attempt, string identity,
        DateTimeOffset now, long known, CancellationToken ct)
    {
        var leaseOwner = $"{identity}#{Guid.NewGuid():N}";
        await w.FlushAsync(ct);
        await w.Exec("""
            UPDATE dw_workflow_tasks SET lease_owner = @o,
              lease_until_ms = @now + (SELECT wft_timeout_ms FROM dw_runs WHERE dw_runs.run_id = @r)
            WHERE run_id = @r
            """, ct, ("@o", leaseOwner), ("@now", Ms(now)), ("@r", runId));
        var run = await ReadRunByIdAsync(w, runId, ct);
        var history = await ReadHistoryAsync(w.Conn, w.Tx, runId, known, ct);
        if (run is null || (history.Count == 0 && known == 0)) return null;
        return new WorkflowTaskLease
        {
            // The version to check at commit is the history actually read, not the run row (read separately).
            Run = run with { LastEventId = history.Count > 0 ? history[^1].EventId : known },
            History = history, HistoryAfter = known, StartedAt = now, Identity = identity, Attempt = attempt, LeaseOwner = leaseOwner,
        };
    }

    private static async Task<RunInfo?> ReadRunByIdAsync(WriteContext w, string runId, CancellationToken ct)
    {
        await using var cmd = w.Command($"SELECT {RunColumns} FROM dw_runs WHERE run_id = @r", ("@r", runId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadRun(r) : null;
    }

    public Task<WorkflowTaskCompletion> CompleteWorkflowTaskAsync(WorkflowTaskLease lease, IReadOnlyList<WorkflowCommand> commands,
        DateTimeOffset now, EagerActivityRequest? eager = null, CancellationToken ct = default) =>
        WriteAsync(async w =>
        {
            if (lease.HistoryAfter != 0)
                throw new ArgumentException("CompleteWorkflowTaskAsync needs the lease's whole history (HistoryAfter = 0).");
            var run = await w.LockRunAsync(lease.Run.RunId, ct);
            if (run is null || !run.IsOpen) return WorkflowTaskCompletion.Rejected;
            if (run.LastEventId != lease.ExpectedLastEventId)
            {
                await ReleaseWorkflowTaskAsync(w, lease, now, ct);
                return WorkflowTaskCompletion.Rejected;
            }
            // A task that saw no new events and decided nothing leaves no trace (e.g. a duplicate wake-up).
            var sawNewEvents = lease.History[^1].EventType != EventType.WorkflowTaskCompleted && !lease.History[^1].IsCommandEvent;
            return await ApplyWorkflowTaskAsync(w, run, lease, sawNewEvents, commands, now, eager, ct);
        }, ct);

    /// <summary>Records a decided workflow task in the caller's transaction (run locked, version checked): its
    /// WorkflowTaskCompleted, the commands' events and effects, and what becomes of the task row.</summary>
    private async Task<WorkflowTaskCompletion> ApplyWorkflowTaskAsync(WriteContext w, RunRow run, WorkflowTaskLease lease, bool sawNewEvents,
        IReadOnlyList<WorkflowCommand> commands, DateTimeOffset now, EagerActivityRequest? eager, CancellationToken ct)
    {
        var from = run.LastEventId;
        if (commands.Count > 0 || sawNewEvents)
        {
            await w.AppendAsync(run, new HistoryEvent
            {
                EventType = EventType.WorkflowTaskCompleted, Timestamp = now, Identity = lease.Identity, Time = lease.StartedAt,
                Attempt = lease.Attempt,
            }, ct);
        }
        var applier = new CommandApplier(this, w, run, lease, now, eager);
        foreach (var command in commands)
        {
            if (!run.IsOpen) break;
            await applier.ApplyAsync(command, ct);
        }
        if (run.IsOpen)
        {
            await applier.AppendEffectsAsync(ct);
            if (applier.NeedsAnotherTask)
            {
                // Upsert: a task decided inline (in an activity report's transaction) may have no row of its own.
                w.Defer("""
                    INSERT INTO dw_workflow_tasks (run_id, task_queue, visible_ms, attempt) VALUES (@r, @q, @now, 1)
                    ON CONFLICT (run_id) DO UPDATE SET lease_owner = NULL, lease_until_ms = NULL, visible_ms = @now, attempt = 1
                    """, ("@now", Ms(now)), ("@r", run.RunId), ("@q", run.TaskQueue));
                w.Notifications.Add(Notifier.TaskKey(TaskKind.Workflow, run.TaskQueue));
            }
            else
                w.Defer("DELETE FROM dw_workflow_tasks WHERE run_id = @r", ("@r", run.RunId));
        }
        // A run that closed in this task has dropped its activity rows (CloseRunAsync): nothing is leased to run.
        return new WorkflowTaskCompletion(true, [.. w.AppendedTo(run.RunId).Where(e => e.EventId > from)],
            run.IsOpen ? applier.EagerActivities : []);
    }

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
            }
            return await w.Exec("""
                UPDATE dw_workflow_tasks SET lease_owner = NULL, lease_until_ms = NULL, visible_ms = @v, attempt = attempt + 1
                WHERE run_id = @r AND lease_owner = @o
                """, ct, ("@v", Ms(retryAt)), ("@r", run.RunId), ("@o", lease.LeaseOwner));
        }, ct);
}
