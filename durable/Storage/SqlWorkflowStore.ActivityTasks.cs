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

    public Task<bool> FinishActivityAttemptAsync(ActivityTaskKey key, ActivityOutcome outcome, DateTimeOffset now, CancellationToken ct = default) =>
        WriteAsync(async w =>
        {
            var run = await w.LockRunAsync(key.RunId, ct);
            if (run is not { IsOpen: true }) return false;
            ActivityTaskLease task;
            long? deadline;
            await using (var cmd = w.Command($"SELECT {ActivityColumns} FROM dw_activity_tasks WHERE run_id = @r AND seq = @s{Dialect.ForUpdate}",
                ("@r", key.RunId), ("@s", key.Seq)))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                if (!await r.ReadAsync(ct)) return false;
                task = ReadActivity(r);
                deadline = Long(r, 17);
            }
            if (task.Attempt != key.Attempt || (outcome.Started && task.Identity is null)) return false;
            // A heartbeat may have moved the deadline since the scanner saw it expired.
            if (outcome.Kind == ActivityOutcomeKind.TimedOut && (deadline ?? Never) > Ms(now)) return false;

            if (outcome.Started)
            {
                await w.AppendAsync(run, new HistoryEvent
                {
                    EventType = EventType.ActivityTaskStarted, Timestamp = now, Seq = key.Seq, Name = task.ActivityType,
                    Attempt = task.Attempt, Identity = task.Identity, Time = task.StartedAt,
                }, ct);
            }
            var details = outcome.HeartbeatDetails ?? task.HeartbeatDetails;
            if (outcome.RetryAt is { } retryAt)
                await ScheduleRetryAsync(w, run, task, outcome, retryAt, details, now, ct);
            else
                await FinishActivityAsync(w, run, task, outcome, now, ct);
            await w.SaveRunVersionAsync(run, ct);
            return true;
        }, ct);

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

    private static async Task FinishActivityAsync(WriteContext w, RunRow run, ActivityTaskLease task, ActivityOutcome outcome,
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
        await w.Exec("DELETE FROM dw_activity_tasks WHERE run_id = @r AND seq = @s", ct, ("@r", task.RunId), ("@s", task.Seq));
        await w.EnsureWorkflowTaskAsync(run, now, ct);
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
