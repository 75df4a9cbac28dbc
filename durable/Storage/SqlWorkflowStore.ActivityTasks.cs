using System.Data.Common;
using Pipeline.Durable.History;
using Pipeline.Durable.Runtime;

namespace Pipeline.Durable.Storage;

public abstract partial class SqlWorkflowStore
{
    private const long Never = 9_000_000_000_000_000_000;

    private const string ActivityColumns = """
        workflow_id, run_id, workflow_type, seq, activity_type, task_queue, input, spec, attempt, scheduled_ms,
        started_ms, lease_owner, heartbeat_details, heartbeat_ms, last_failure, visible_ms, cancel_requested, deadline_ms
        """;

    private static ActivityTaskLease ReadActivity(DbDataReader r) => new()
    {
        WorkflowId = r.GetString(0), RunId = r.GetString(1), WorkflowType = r.GetString(2), Seq = Convert.ToInt32(r.GetValue(3)),
        ActivityType = r.GetString(4), TaskQueue = r.GetString(5), Input = r.GetString(6),
        Spec = FromJson<ActivitySpec>(r.GetString(7))!, Attempt = Convert.ToInt32(r.GetValue(8)),
        ScheduledAt = FromMs(Convert.ToInt64(r.GetValue(9))), StartedAt = FromMs(r.GetValue(10)), Identity = Str(r, 11),
        HeartbeatDetails = Str(r, 12), LastHeartbeatAt = FromMs(r.GetValue(13)), LastFailure = FromJson<Failure>(Str(r, 14)),
    };

    private string Least3(string a, string b, string c) =>
        $"{Dialect.Least}(COALESCE({a}, {Never}), COALESCE({b}, {Never}), COALESCE({c}, {Never}))";

    public Task<ActivityTaskLease?> PollActivityTaskAsync(string taskQueue, string identity, DateTimeOffset now, CancellationToken ct = default) =>
        WriteAsync<ActivityTaskLease?>(async w =>
        {
            string runId;
            int seq;
            await using (var cmd = w.Command($"""
                SELECT run_id, seq FROM dw_activity_tasks
                WHERE task_queue = @q AND lease_owner IS NULL AND visible_ms <= @now
                ORDER BY visible_ms LIMIT 1{Dialect.ForUpdateSkipLocked}
                """, ("@q", taskQueue), ("@now", Ms(now))))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                if (!await r.ReadAsync(ct)) return null;
                (runId, seq) = (r.GetString(0), Convert.ToInt32(r.GetValue(1)));
            }
            await using var upd = w.Command($"""
                UPDATE dw_activity_tasks SET lease_owner = @o, started_ms = @now, heartbeat_ms = NULL,
                  attempt_deadline_ms = @now + s2c_ms,
                  deadline_ms = {Least3("@now + s2c_ms", "@now + hb_timeout_ms", "close_deadline_ms")}
                WHERE run_id = @r AND seq = @s
                RETURNING {ActivityColumns}
                """, ("@o", identity), ("@now", Ms(now)), ("@r", runId), ("@s", seq));
            await using var rr = await upd.ExecuteReaderAsync(ct);
            return await rr.ReadAsync(ct) ? ReadActivity(rr) : null;
        }, ct);

    public async Task<HeartbeatResult> RecordHeartbeatAsync(ActivityTaskKey key, string? details, DateTimeOffset now, CancellationToken ct = default)
    {
        return await WriteAsync(async w =>
        {
            await using var cmd = w.Command($"""
                UPDATE dw_activity_tasks SET heartbeat_ms = @now, heartbeat_details = COALESCE(@d, heartbeat_details),
                  deadline_ms = {Least3("@now + hb_timeout_ms", "attempt_deadline_ms", "close_deadline_ms")}
                WHERE run_id = @r AND seq = @s AND attempt = @a AND lease_owner IS NOT NULL
                RETURNING cancel_requested
                """, ("@now", Ms(now)), ("@d", details), ("@r", key.RunId), ("@s", key.Seq), ("@a", key.Attempt));
            var v = await cmd.ExecuteScalarAsync(ct);
            return v is null or DBNull ? HeartbeatResult.NotFound
                : Convert.ToInt32(v) != 0 ? HeartbeatResult.CancelRequested : HeartbeatResult.Ok;
        }, ct);
    }

    public Task<ActivityFinish> FinishActivityAttemptAsync(ActivityTaskKey key, ActivityOutcome outcome, DateTimeOffset now,
        EagerWorkflowRequest? eager = null, CancellationToken ct = default) =>
        WriteAsync(async w =>
        {
            // Lock the run and claim the attempt in one round trip: only the current attempt, started if the outcome
            // says so, and for a timeout only if no heartbeat has moved the deadline since the scanner saw it expire.
            // A final outcome deletes the task in the same statement; a retry keeps it (and needs its old values).
            var claim = $"run_id = @r AND seq = @s AND attempt = @a" + (outcome.Started ? " AND lease_owner IS NOT NULL" : "")
                + (outcome.Kind == ActivityOutcomeKind.TimedOut ? " AND deadline_ms <= @now" : "");
            var final = outcome.RetryAt is null;
            // With eager dispatch asked for, the same round trip also looks at (and locks) the run's workflow task row.
            var withTask = final && eager is not null;
            RunRow? run;
            ActivityTaskLease? claimed;
            (int Attempt, bool Free)? taskRow = null;
            await using (var cmd = w.Command($"SELECT {RunRow.Columns} FROM dw_runs WHERE run_id = @r{Dialect.ForUpdate}; " + (final
                    ? $"DELETE FROM dw_activity_tasks WHERE {claim} RETURNING {ActivityColumns}"
                    : $"SELECT {ActivityColumns} FROM dw_activity_tasks WHERE {claim}{Dialect.ForUpdate}")
                    + (withTask ? $"; SELECT attempt, lease_owner, lease_until_ms, visible_ms FROM dw_workflow_tasks WHERE run_id = @r{Dialect.ForUpdate}" : ""),
                ("@r", key.RunId), ("@s", key.Seq), ("@a", key.Attempt), ("@now", Ms(now))))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                run = await r.ReadAsync(ct) ? RunRow.Read(r) : null;
                await r.NextResultAsync(ct);
                claimed = await r.ReadAsync(ct) ? ReadActivity(r) : null;
                if (withTask && await r.NextResultAsync(ct) && await r.ReadAsync(ct))
                {
                    var free = (r.IsDBNull(1) || Convert.ToInt64(r.GetValue(2)) <= Ms(now)) && Convert.ToInt64(r.GetValue(3)) <= Ms(now);
                    taskRow = (Convert.ToInt32(r.GetValue(0)), free);
                }
            }
            if (run is not { IsOpen: true } || claimed is not { } task)
            {
                w.Rollback = true;
                return ActivityFinish.Refused;
            }
            var versionBefore = run.LastEventId;
            if (outcome.Started)
            {
                await w.AppendAsync(run, new HistoryEvent
                {
                    EventType = EventType.ActivityTaskStarted, Timestamp = now, Seq = key.Seq, Name = task.ActivityType,
                    Attempt = task.Attempt, Identity = task.Identity, Time = task.StartedAt,
                }, ct);
            }
            if (outcome.RetryAt is { } retryAt)
            {
                await ScheduleRetryAsync(w, run, task, outcome, retryAt, outcome.HeartbeatDetails ?? task.HeartbeatDetails, now, ct);
                return new ActivityFinish(true);
            }
            await AppendActivityOutcomeAsync(w, run, task, outcome, now, ct);
            // Another worker holds the run's workflow task (or it is backing off): it will see these events, since its
            // commit fails the version check and releases the task.
            if (eager is null || !eager.Covers(run.TaskQueue, run.WorkflowType) || taskRow is { Free: false })
            {
                await w.EnsureWorkflowTaskAsync(run, now, ct);
                return new ActivityFinish(true);
            }
            if (eager.Decide is { } decide)
            {
                var lease = await EagerLeaseAsync(w, run, versionBefore, eager, taskRow?.Attempt ?? 1, now, ct);
                if (decide(lease) is { } decision)
                {
                    // Decided in this transaction: the run is locked, so the history the decision saw is the whole history.
                    var completion = await ApplyWorkflowTaskAsync(w, run, decision.Lease, sawNewEvents: true, decision.Commands, now,
                        decision.EagerActivities, ct);
                    return new ActivityFinish(true, null, decision, completion);
                }
            }
            var leased = await LeaseEagerlyAsync(w, run, versionBefore, eager, now, ct);
            if (leased is null) await w.EnsureWorkflowTaskAsync(run, now, ct);
            return new ActivityFinish(true, leased);
        }, ct);

    /// <summary>The lease an inline decision works under: nothing is written for it (the decision's commit deletes or
    /// re-queues the task row); the worker's cache usually has the history up to this transaction, so the new events
    /// are just the ones appended here and nothing is read back.</summary>
    private static async Task<WorkflowTaskLease> EagerLeaseAsync(WriteContext w, RunRow run, long versionBefore, EagerWorkflowRequest eager,
        int attempt, DateTimeOffset now, CancellationToken ct)
    {
        var known = eager.KnownHistory(run.RunId);
        IReadOnlyList<HistoryEvent> history;
        if (known != 0 && known == versionBefore)
        {
            history = [.. w.AppendedTo(run.RunId)];
        }
        else
        {
            await w.FlushAsync(ct);
            history = await ReadHistoryAsync(w.Conn, w.Tx, run.RunId, known, ct);
        }
        return new WorkflowTaskLease
        {
            Run = run.ToRunInfo(), History = history, HistoryAfter = known, StartedAt = now, Identity = eager.Identity,
            Attempt = attempt, LeaseOwner = $"{eager.Identity}#inline",
        };
    }

    /// <summary>Creates (or takes, if free) the run's workflow task leased to the reporting worker, in one statement;
    /// then no other poller needs waking. The worker's cache usually has the history up to this transaction, so the
    /// new events are just the ones appended here and nothing is read back.</summary>
    private async Task<WorkflowTaskLease?> LeaseEagerlyAsync(WriteContext w, RunRow run, long versionBefore,
        EagerWorkflowRequest eager, DateTimeOffset now, CancellationToken ct)
    {
        if (!eager.Covers(run.TaskQueue, run.WorkflowType)) return null;
        var leaseOwner = $"{eager.Identity}#{Guid.NewGuid():N}";
        int attempt;
        await using (var cmd = w.Command("""
            INSERT INTO dw_workflow_tasks (run_id, task_queue, visible_ms, attempt, lease_owner, lease_until_ms) VALUES (@r, @q, @now, 1, @o, @u)
            ON CONFLICT (run_id) DO UPDATE SET lease_owner = @o, lease_until_ms = @u
              WHERE dw_workflow_tasks.lease_owner IS NULL AND dw_workflow_tasks.visible_ms <= @now
            RETURNING attempt
            """, ("@r", run.RunId), ("@q", run.TaskQueue), ("@now", Ms(now)), ("@o", leaseOwner), ("@u", Ms(now) + run.WorkflowTaskTimeoutMs)))
        {
            if (await cmd.ExecuteScalarAsync(ct) is not { } a) return null;
            attempt = Convert.ToInt32(a);
        }
        return await EagerLeaseAsync(w, run, versionBefore, eager, attempt, now, ct) with { LeaseOwner = leaseOwner };
    }

    private static async Task ScheduleRetryAsync(WriteContext w, RunRow run, ActivityTaskLease task, ActivityOutcome outcome,
        DateTimeOffset retryAt, string? details, DateTimeOffset now, CancellationToken ct)
    {
        await w.AppendAsync(run, new HistoryEvent
        {
            EventType = EventType.ActivityTaskAttemptFailed, Timestamp = now, Seq = task.Seq, Name = task.ActivityType,
            Attempt = task.Attempt, Failure = outcome.Failure, NextAttemptAt = retryAt, Identity = task.Identity,
        }, ct);
        long? startDeadline = task.Spec.ScheduleToStartMs is { } s2s ? Ms(retryAt) + s2s : null;
        long? closeDeadline = task.Spec.ScheduleToCloseMs is { } s2close ? Ms(task.ScheduledAt) + s2close : null;
        long? deadline = startDeadline is null && closeDeadline is null ? null : Math.Min(startDeadline ?? Never, closeDeadline ?? Never);
        await w.Exec("""
            UPDATE dw_activity_tasks SET attempt = attempt + 1, visible_ms = @v, lease_owner = NULL, started_ms = NULL,
              heartbeat_ms = NULL, attempt_deadline_ms = NULL, heartbeat_details = @d, last_failure = @f, deadline_ms = @dl
            WHERE run_id = @r AND seq = @s
            """, ct, ("@v", Ms(retryAt)), ("@d", details), ("@f", outcome.Failure is null ? null : Json(outcome.Failure)),
            ("@dl", deadline), ("@r", task.RunId), ("@s", task.Seq));
        w.Notifications.Add(Notifier.MaintenanceKey);
    }

    private static async Task AppendActivityOutcomeAsync(WriteContext w, RunRow run, ActivityTaskLease task, ActivityOutcome outcome,
        DateTimeOffset now, CancellationToken ct)
    {
        var type = outcome.Kind switch
        {
            ActivityOutcomeKind.Completed => EventType.ActivityTaskCompleted,
            ActivityOutcomeKind.Failed => EventType.ActivityTaskFailed,
            ActivityOutcomeKind.TimedOut => EventType.ActivityTaskTimedOut,
            _ => EventType.ActivityTaskCanceled,
        };
        await w.AppendAsync(run, new HistoryEvent
        {
            EventType = type, Timestamp = now, Seq = task.Seq, Name = task.ActivityType, Attempt = task.Attempt,
            Result = outcome.Result, Failure = outcome.Failure, Identity = task.Identity,
        }, ct);
    }

    public Task<IReadOnlyList<ActivityTaskLease>> GetExpiredActivitiesAsync(DateTimeOffset now, int limit, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<ActivityTaskLease>>(async conn =>
        {
            await using var cmd = Command(conn, null,
                $"SELECT {ActivityColumns} FROM dw_activity_tasks WHERE deadline_ms <= @now ORDER BY deadline_ms LIMIT {limit}", ("@now", Ms(now)));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var list = new List<ActivityTaskLease>();
            while (await r.ReadAsync(ct)) list.Add(ReadActivity(r));
            return list;
        }, ct);

    public Task<IReadOnlyList<PendingActivity>> GetPendingActivitiesAsync(string runId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<PendingActivity>>(async conn =>
        {
            await using var cmd = Command(conn, null, $"SELECT {ActivityColumns} FROM dw_activity_tasks WHERE run_id = @r ORDER BY seq", ("@r", runId));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var list = new List<PendingActivity>();
            while (await r.ReadAsync(ct))
            {
                var a = ReadActivity(r);
                var visible = FromMs(Convert.ToInt64(r.GetValue(15)));
                list.Add(new PendingActivity
                {
                    Seq = a.Seq, ActivityType = a.ActivityType, TaskQueue = a.TaskQueue, Attempt = a.Attempt,
                    State = a.Identity is not null ? "started" : a.Attempt > 1 ? "backoff" : "scheduled",
                    ScheduledAt = a.ScheduledAt, StartedAt = a.StartedAt, Identity = a.Identity, LastHeartbeatAt = a.LastHeartbeatAt,
                    HeartbeatDetails = a.HeartbeatDetails, LastFailure = a.LastFailure,
                    NextAttemptAt = a.Identity is null ? visible : null, CancelRequested = Convert.ToInt32(r.GetValue(16)) != 0,
                });
            }
            return list;
        }, ct);
}
