using Microsoft.Extensions.Logging;
using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Worker;

/// <summary>Fires due timers, times out lost or slow activity attempts (retrying them under their policy), and
/// wakes pollers when a delayed task becomes due. Safe to run in every worker: each change is a transaction that
/// re-checks its condition under lock.</summary>
public sealed class Maintenance(IWorkflowStore store, IClock clock, ILogger logger)
{
    /// <summary>Longest sleep between passes: bounds how late a timeout is noticed.</summary>
    public static readonly TimeSpan MaxTick = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var signal = store.NextMaintenanceSignal();
            DateTimeOffset? next = null;
            try
            {
                next = await RunOnceAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Maintenance pass failed on {Store}; retrying", store.Description);
            }
            var wait = next is { } n ? n - clock.UtcNow : MaxTick;
            wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxTick ? MaxTick : wait;
            try
            {
                await Task.WhenAny(signal, Task.Delay(wait, ct));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private DateTimeOffset? _dueAt;

    /// <summary>One pass: fire timers, expire activities, wake local pollers if a delayed task fell due.
    /// Returns the next moment something becomes due.</summary>
    public async Task<DateTimeOffset?> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var fired = await store.FireDueTimersAsync(now, ct);
        var expired = await ExpireActivitiesAsync(now, ct);
        if (fired > 0 || expired > 0) logger.LogDebug("Fired {Timers} timers, timed out {Activities} activity attempts", fired, expired);
        // A delayed retry or a backed-off workflow task becomes due without any write: wake local pollers to look.
        if (_dueAt is { } due && due <= now) store.WakeAllPollers();
        _dueAt = await store.GetNextDeadlineAsync(now, ct);
        return _dueAt;
    }

    private async Task<int> ExpireActivitiesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var count = 0;
        foreach (var a in await store.GetExpiredActivitiesAsync(now, 200, ct))
        {
            var type = TimeoutKind(a, now);
            var failure = new Failure
            {
                Kind = "timeout", TimeoutType = type.ToString(),
                Message = $"activity '{a.ActivityType}' attempt {a.Attempt} timed out ({type})"
                    + (a.Identity is null ? "" : $" on worker {a.Identity}"),
            };
            var retryAt = a.Identity is null ? null : RetryDecider.NextAttemptAt(a.Spec, a.Attempt, a.ScheduledAt, now, failure);
            var outcome = new ActivityOutcome
            {
                Kind = ActivityOutcomeKind.TimedOut, Failure = failure, RetryAt = retryAt, Started = a.Identity is not null,
            };
            if ((await store.FinishActivityAttemptAsync(a.Key, outcome, now, null, ct)).Accepted)
            {
                count++;
                logger.LogWarning("Activity {ActivityType} of {WorkflowId} attempt {Attempt} timed out ({TimeoutType}); {Next}",
                    a.ActivityType, a.WorkflowId, a.Attempt, type, retryAt is null ? "failing it" : $"retrying at {retryAt:O}");
            }
        }
        return count;
    }

    private static TimeoutType TimeoutKind(ActivityTaskLease a, DateTimeOffset now)
    {
        if (a.Spec.ScheduleToCloseMs is { } s2close && now >= a.ScheduledAt.AddMilliseconds(s2close)) return TimeoutType.ScheduleToClose;
        if (a.Identity is null) return TimeoutType.ScheduleToStart;
        if (a.Spec.StartToCloseMs is { } s2c && a.StartedAt is { } started && now >= started.AddMilliseconds(s2c)) return TimeoutType.StartToClose;
        return TimeoutType.Heartbeat;
    }
}
