using Pipeline.Durable.History;
using Pipeline.Durable.Runtime;

namespace Pipeline.Durable.Storage;

public abstract partial class SqlWorkflowStore
{
    /// <summary>Turns one workflow task's commands into history events and task-table changes, inside the
    /// task's commit transaction.</summary>
    private sealed class CommandApplier(SqlWorkflowStore store, WriteContext w, RunRow run, WorkflowTaskLease lease, DateTimeOffset now,
        EagerActivityRequest? eager)
    {
        private readonly List<ActivityTaskLease> _eager = [];

        /// <summary>Activities leased at once to the committing worker.</summary>
        public IReadOnlyList<ActivityTaskLease> EagerActivities => _eager;

        // Events a command causes at once (a child started, an activity cancelled before it started) are news for
        // the workflow, not its decisions: they go after all of the task's command events, so those stay one
        // contiguous block after WorkflowTaskCompleted and replay matches them one for one.
        private readonly List<HistoryEvent> _effects = [];

        /// <summary>Set when applying a command itself produced an event the workflow must see (a child started,
        /// an activity cancelled before it started), so the run needs another workflow task at once.</summary>
        public bool NeedsAnotherTask => _effects.Count > 0;

        private const long Never = 9_000_000_000_000_000_000;

        public Task ApplyAsync(WorkflowCommand command, CancellationToken ct) => command switch
        {
            ScheduleActivityCommand c => ScheduleActivityAsync(c, ct),
            RequestCancelActivityCommand c => RequestCancelActivityAsync(c, ct),
            StartTimerCommand c => StartTimerAsync(c, ct),
            CancelTimerCommand c => CancelTimerAsync(c, ct),
            RecordMarkerCommand c => Append(new HistoryEvent { EventType = EventType.MarkerRecorded, Name = c.Name, Details = c.Details }, ct),
            StartChildWorkflowCommand c => StartChildAsync(c, ct),
            RequestCancelChildWorkflowCommand c => RequestCancelChildAsync(c, ct),
            CompleteWorkflowCommand c => CloseAsync(EventType.WorkflowExecutionCompleted, RunStatus.Completed, c.Result, null, ct),
            FailWorkflowCommand c => CloseAsync(EventType.WorkflowExecutionFailed, RunStatus.Failed, null, c.Failure, ct),
            CancelWorkflowCommand => CloseAsync(EventType.WorkflowExecutionCanceled, RunStatus.Cancelled, null,
                new Failure { Kind = "canceled", Message = "workflow cancelled" }, ct),
            ContinueAsNewCommand c => ContinueAsNewAsync(c, ct),
            _ => throw new InvalidOperationException($"unknown command {command.GetType().Name}"),
        };

        private Task<HistoryEvent> Append(HistoryEvent e, CancellationToken ct) => w.AppendAsync(run, e with { Timestamp = now }, ct);

        /// <summary>Appends the events the commands caused; call once, after the last command, if the run is still open.</summary>
        public async Task AppendEffectsAsync(CancellationToken ct)
        {
            foreach (var e in _effects) await Append(e, ct);
        }

        private async Task ScheduleActivityAsync(ScheduleActivityCommand c, CancellationToken ct)
        {
            await Append(new HistoryEvent
            {
                EventType = EventType.ActivityTaskScheduled, Seq = c.Seq, Name = c.ActivityType, Input = c.Input,
                TaskQueue = c.TaskQueue, Details = Json(c.Spec),
            }, ct);
            var spec = c.Spec;
            long? closeDeadline = spec.ScheduleToCloseMs is { } s2close ? Ms(now) + s2close : null;
            long? startDeadline = spec.ScheduleToStartMs is { } s2s ? Ms(now) + s2s : null;
            long? deadline = closeDeadline is null && startDeadline is null ? null : Math.Min(closeDeadline ?? Never, startDeadline ?? Never);
            // Eager: started here, leased to the committing worker, which runs it without a poll (and nobody is woken).
            var leased = eager is { } e && e.TaskQueue == c.TaskQueue && _eager.Count < e.MaxActivities && e.ActivityTypes.Contains(c.ActivityType);
            long? attemptDeadline = leased && spec.StartToCloseMs is { } s2c ? Ms(now) + s2c : null;
            if (leased)
            {
                long? hbDeadline = spec.HeartbeatMs is { } hb ? Ms(now) + hb : null;
                deadline = Math.Min(Math.Min(attemptDeadline ?? Never, hbDeadline ?? Never), closeDeadline ?? Never);
            }
            w.Defer("""
                INSERT INTO dw_activity_tasks (run_id, seq, workflow_id, workflow_type, activity_type, task_queue, input, spec, attempt,
                  scheduled_ms, visible_ms, s2c_ms, s2s_ms, hb_timeout_ms, close_deadline_ms, deadline_ms, lease_owner, started_ms, attempt_deadline_ms)
                VALUES (@r, @s, @wid, @wt, @at, @q, @in, @spec, 1, @now, @now, @s2c, @s2s, @hb, @cd, @d, @o, @st, @ad)
                """, ("@r", run.RunId), ("@s", c.Seq), ("@wid", run.WorkflowId), ("@wt", run.WorkflowType), ("@at", c.ActivityType),
                ("@q", c.TaskQueue), ("@in", c.Input), ("@spec", Json(spec)), ("@now", Ms(now)), ("@s2c", spec.StartToCloseMs),
                ("@s2s", spec.ScheduleToStartMs), ("@hb", spec.HeartbeatMs), ("@cd", closeDeadline), ("@d", deadline),
                ("@o", leased ? eager!.Identity : null), ("@st", leased ? Ms(now) : null), ("@ad", attemptDeadline));
            if (!leased)
            {
                w.Notifications.Add(Notifier.TaskKey(TaskKind.Activity, c.TaskQueue));
                return;
            }
            _eager.Add(new ActivityTaskLease
            {
                WorkflowId = run.WorkflowId, RunId = run.RunId, WorkflowType = run.WorkflowType, Seq = c.Seq, ActivityType = c.ActivityType,
                TaskQueue = c.TaskQueue, Input = c.Input, Spec = spec, Attempt = 1, ScheduledAt = FromMs(Ms(now)), StartedAt = FromMs(Ms(now)),
                Identity = eager!.Identity,
            });
        }

        private async Task RequestCancelActivityAsync(RequestCancelActivityCommand c, CancellationToken ct)
        {
            await Append(new HistoryEvent { EventType = EventType.ActivityTaskCancelRequested, Seq = c.Seq }, ct);
            // Not started yet: cancelled on the spot. Started: the worker learns of it at its next heartbeat.
            var removed = await w.Exec("DELETE FROM dw_activity_tasks WHERE run_id = @r AND seq = @s AND lease_owner IS NULL", ct,
                ("@r", run.RunId), ("@s", c.Seq));
            if (removed > 0)
            {
                _effects.Add(new HistoryEvent
                {
                    EventType = EventType.ActivityTaskCanceled, Seq = c.Seq,
                    Failure = new Failure { Kind = "canceled", Message = "cancelled before it started" },
                });
            }
            else
            {
                await w.Exec("UPDATE dw_activity_tasks SET cancel_requested = 1 WHERE run_id = @r AND seq = @s", ct, ("@r", run.RunId), ("@s", c.Seq));
            }
        }

        private async Task StartTimerAsync(StartTimerCommand c, CancellationToken ct)
        {
            // Recorded at the store's millisecond resolution, the time the timer row fires at.
            await Append(new HistoryEvent { EventType = EventType.TimerStarted, Seq = c.Seq, Time = FromMs(Ms(c.FireAt)) }, ct);
            w.Defer("INSERT INTO dw_timers (run_id, seq, fire_ms) VALUES (@r, @s, @f)", ("@r", run.RunId), ("@s", c.Seq), ("@f", Ms(c.FireAt)));
            w.Notifications.Add(Notifier.MaintenanceKey);
        }

        private async Task CancelTimerAsync(CancelTimerCommand c, CancellationToken ct)
        {
            await Append(new HistoryEvent { EventType = EventType.TimerCanceled, Seq = c.Seq }, ct);
            w.Defer("DELETE FROM dw_timers WHERE run_id = @r AND seq = @s", ("@r", run.RunId), ("@s", c.Seq));
        }

        private async Task StartChildAsync(StartChildWorkflowCommand c, CancellationToken ct)
        {
            await Append(new HistoryEvent
            {
                EventType = EventType.StartChildWorkflowExecutionInitiated, Seq = c.Seq, Name = c.WorkflowType, WorkflowId = c.WorkflowId,
                TaskQueue = c.TaskQueue, Input = c.Input, Details = c.ParentClosePolicy.ToString(),
            }, ct);
            await using (var cmd = w.Command("SELECT run_id FROM dw_runs WHERE workflow_id = @id AND status = 'running'", ("@id", c.WorkflowId)))
            {
                if (await cmd.ExecuteScalarAsync(ct) is string existing)
                {
                    _effects.Add(new HistoryEvent
                    {
                        EventType = EventType.StartChildWorkflowExecutionFailed, Seq = c.Seq, Name = c.WorkflowType, WorkflowId = c.WorkflowId,
                        RunId = existing, Failure = new Failure
                        {
                            Kind = "application", ErrorType = "WorkflowAlreadyStarted",
                            Message = $"a run of workflow id '{c.WorkflowId}' is already open ({existing})"
                        },
                    });
                    return;
                }
            }
            var childRunId = await store.InsertRunAsync(w, new NewRun(c.WorkflowId, c.WorkflowType, c.TaskQueue, c.Input,
                run.WorkflowTaskTimeoutMs, null, lease.Identity, run.WorkflowId, run.RunId, c.Seq, c.ParentClosePolicy), now, ct);
            _effects.Add(new HistoryEvent
            {
                EventType = EventType.ChildWorkflowExecutionStarted, Seq = c.Seq, Name = c.WorkflowType, WorkflowId = c.WorkflowId, RunId = childRunId,
            });
        }

        private async Task RequestCancelChildAsync(RequestCancelChildWorkflowCommand c, CancellationToken ct)
        {
            await Append(new HistoryEvent
            {
                EventType = EventType.RequestCancelExternalWorkflowExecutionInitiated, Seq = c.Seq, WorkflowId = c.WorkflowId,
            }, ct);
            string? childRunId;
            await using (var cmd = w.Command("SELECT run_id FROM dw_runs WHERE workflow_id = @id AND parent_run_id = @p AND status = 'running'",
                ("@id", c.WorkflowId), ("@p", run.RunId)))
            {
                childRunId = await cmd.ExecuteScalarAsync(ct) as string;
            }
            // A child that already closed has its closing event on the way to this run: nothing to cancel.
            if (childRunId is not null && await w.LockRunAsync(childRunId, ct) is { IsOpen: true } child)
                await RequestCancelLockedAsync(w, child, $"parent {run.WorkflowId} ({run.RunId}) asked", lease.Identity, now, ct);
        }

        private async Task CloseAsync(EventType type, string status, string? result, Failure? failure, CancellationToken ct)
        {
            await Append(new HistoryEvent { EventType = type, Result = result, Failure = failure }, ct);
            await store.CloseRunAsync(w, run, status, result, failure, now, ct);
        }

        private async Task ContinueAsNewAsync(ContinueAsNewCommand c, CancellationToken ct)
        {
            // Close first: the open-run unique index admits one open run per workflow id.
            var newRunId = Guid.CreateVersion7(now).ToString();
            await Append(new HistoryEvent
            {
                EventType = EventType.WorkflowExecutionContinuedAsNew, Name = c.WorkflowType, Input = c.Input, TaskQueue = c.TaskQueue,
                RunId = newRunId,
            }, ct);
            var memo = await ReadMemoAsync(ct);
            await store.CloseRunAsync(w, run, RunStatus.ContinuedAsNew, null, null, now, ct);
            await w.Exec("UPDATE dw_runs SET continued_to = @n WHERE run_id = @r", ct, ("@n", newRunId), ("@r", run.RunId));
            await store.InsertRunAsync(w, new NewRun(run.WorkflowId, c.WorkflowType, c.TaskQueue, c.Input,
                run.WorkflowTaskTimeoutMs, memo, lease.Identity, run.ParentWorkflowId, run.ParentRunId, run.ParentSeq,
                Enum.TryParse<ParentClosePolicy>(run.ParentClosePolicy, out var p) ? p : null, ContinuedFrom: run.RunId,
                RunId: newRunId), now, ct);
        }

        private async Task<Dictionary<string, string>?> ReadMemoAsync(CancellationToken ct)
        {
            await using var cmd = w.Command("SELECT memo FROM dw_runs WHERE run_id = @r", ("@r", run.RunId));
            return FromJson<Dictionary<string, string>>(await cmd.ExecuteScalarAsync(ct) as string);
        }
    }
}
