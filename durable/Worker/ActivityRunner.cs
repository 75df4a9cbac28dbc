using Microsoft.Extensions.Logging;
using Pipeline.Durable.Runtime;
using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Worker;

/// <summary>Runs one activity attempt: binds its arguments, keeps its heartbeats flowing to the store (throttled),
/// turns cancel requests into token cancellation, and reports the outcome under the retry policy.</summary>
internal sealed class ActivityRunner(IWorkflowStore store, WorkerOptions options, ILogger logger, EagerWorkflowTasks? eagerWorkflows)
{
    public async Task RunAsync(ActivityTaskLease task, ActivityDefinition? def, CancellationToken shutdown)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["WorkflowId"] = task.WorkflowId, ["RunId"] = task.RunId, ["Activity"] = task.ActivityType, ["Attempt"] = task.Attempt,
        });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var heartbeat = new HeartbeatSender(store, options, task, cts);
        var info = new ActivityInfo
        {
            ActivityType = task.ActivityType, ActivityId = task.Spec.ActivityId ?? task.Seq.ToString(), WorkflowId = task.WorkflowId,
            RunId = task.RunId, WorkflowType = task.WorkflowType, TaskQueue = task.TaskQueue, Attempt = task.Attempt,
            ScheduledAt = task.ScheduledAt, StartedAt = task.StartedAt ?? options.Clock.UtcNow,
            HeartbeatTimeout = task.Spec.HeartbeatMs is { } hb ? TimeSpan.FromMilliseconds(hb) : null, HeartbeatDetails = task.HeartbeatDetails,
        };
        var ctx = new ActivityExecutionContext(info, cts.Token, heartbeat.Record, logger);
        heartbeat.Context = ctx;
        // Every cause is named BEFORE the token is cancelled, so activity code (and FailureOutcome) that sees the
        // cancellation always sees why: a heartbeat names its cause itself; start-to-close is this timer; a shutdown is
        // named by a callback on `shutdown`, which runs before the link cancels `cts` (callbacks run newest first).
        // Naming it from a callback on `cts` raced with the attempt's own continuation on a busy machine.
        using var onShutdown = shutdown.Register(() => ctx.CancelReason ??= "worker_shutdown");
        using var startToClose = task.Spec.StartToCloseMs is { } s2c
            ? new Timer(_ => CancelFor(ctx, cts, "timed_out"), null, TimeSpan.FromMilliseconds(s2c), Timeout.InfiniteTimeSpan)
            : null;

        ActivityOutcome? outcome;
        try
        {
            if (def is null)
                throw new ApplicationFailureException($"activity type '{task.ActivityType}' is not registered on worker {options.Identity} " +
                    $"(queue {options.TaskQueue})", "ActivityNotRegistered");
            var args = DataConverter.DeserializeArgs(task.Input, def.ParameterTypes, $"activity {task.ActivityType} input");
            ActivityExecutionContext.CurrentOrNull = ctx;
            var target = def.Target(options.Services);
            var result = await def.InvokeAsync(target, args);
            outcome = new ActivityOutcome { Kind = ActivityOutcomeKind.Completed, Result = DataConverter.Serialize(result) };
        }
        catch (Exception e)
        {
            outcome = FailureOutcome(task, ctx, shutdown, e);
        }
        finally
        {
            ActivityExecutionContext.CurrentOrNull = null;
        }
        await heartbeat.StopAsync();
        if (outcome is null) return;
        outcome = outcome with { HeartbeatDetails = heartbeat.Unsent };
        // The final outcome wakes the workflow: if this worker runs that workflow too, take its task in the same commit.
        var inline = new InlineDecision();
        var eager = outcome.RetryAt is null ? eagerWorkflows?.TryRequest(inline) : null;
        ActivityFinish finish;
        try
        {
            finish = await store.FinishActivityAttemptAsync(task.Key, outcome, options.Clock.UtcNow, eager, CancellationToken.None);
        }
        catch
        {
            if (eager is not null) eagerWorkflows!.Abort(inline);
            throw;
        }
        if (!finish.Accepted)
            logger.LogWarning("Outcome of {Activity} attempt {Attempt} refused: the attempt is no longer current", task.ActivityType, task.Attempt);
        if (eager is not null) await eagerWorkflows!.CompleteAndReleaseAsync(finish, inline);
    }

    private static void CancelFor(ActivityExecutionContext ctx, CancellationTokenSource cts, string reason)
    {
        ctx.CancelReason ??= reason;
        try { cts.Cancel(); } catch (ObjectDisposedException) { }   // the attempt ended as the timer fired
    }

    private ActivityOutcome? FailureOutcome(ActivityTaskLease task, ActivityExecutionContext ctx, CancellationToken shutdown, Exception e)
    {
        var now = options.Clock.UtcNow;
        if (ctx.CancelReason == "not_current") return null;
        if (ctx.CancelReason == "cancel_requested" && e is OperationCanceledException or CanceledFailureException)
            return new ActivityOutcome { Kind = ActivityOutcomeKind.Canceled, Failure = new Failure { Kind = "canceled", Message = "activity cancelled on request" } };
        // Start-to-close reached locally: the store's timeout scanner records it with the right type.
        if (ctx.CancelReason == "timed_out") return null;
        var failure = shutdown.IsCancellationRequested && e is OperationCanceledException
            ? new Failure { Kind = "application", ErrorType = "WorkerShutdown", Message = $"worker {options.Identity} shut down during the attempt" }
            : FailureConverter.ToFailure(e);
        var retryAt = RetryDecider.NextAttemptAt(task.Spec, task.Attempt, task.ScheduledAt, now, failure);
        logger.LogWarning("Activity {Activity} attempt {Attempt} failed: {Error}; {Next}", task.ActivityType, task.Attempt, failure.Message,
            retryAt is null ? "no more retries" : $"retrying at {retryAt:O}");
        return new ActivityOutcome { Kind = ActivityOutcomeKind.Failed, Failure = failure, RetryAt = retryAt };
    }
}
