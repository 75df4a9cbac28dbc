using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Pipeline.Durable.Runtime;
using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Worker;

/// <summary>Processes one workflow task: replays the run's history through its workflow code and commits the new
/// commands. A replay that disagrees with history fails the run with an error naming the event; any other exception
/// from workflow code fails only this task, which is retried with backoff.
/// Runs whose last task this worker committed stay cached (Temporal's sticky execution): the next task reads only
/// the new events and carries on from the cached state instead of replaying from the start.</summary>
internal sealed class WorkflowTaskRunner(IWorkflowStore store, WorkerOptions options, IReadOnlyDictionary<string, WorkflowDefinition> workflows,
    ActivitySlots slots, IReadOnlySet<string> activityTypes, ILogger logger)
{
    private readonly HashSet<Type> _failureTypes = [.. options.WorkflowFailureExceptionTypes];
    private readonly ConcurrentDictionary<string, (WorkflowInstance Instance, long LastEventId, long Used)> _sticky = new();
    private long _clock;

    /// <summary>The workflow types this worker runs.</summary>
    public IReadOnlySet<string> WorkflowTypes { get; } = workflows.Keys.ToHashSet();

    /// <summary>The last event id of the run's history this worker has cached (0 = none): passed to polls.</summary>
    public long KnownHistory(string runId) => _sticky.TryGetValue(runId, out var s) ? s.LastEventId : 0;

    public async Task RunAsync(WorkflowTaskLease lease, CancellationToken ct)
    {
        var run = lease.Run;
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["WorkflowId"] = run.WorkflowId, ["RunId"] = run.RunId, ["WorkflowType"] = run.WorkflowType,
        });
        IReadOnlyList<WorkflowCommand> commands;
        WorkflowInstance? instance = null;
        try
        {
            if (!workflows.TryGetValue(run.WorkflowType, out var def))
                throw new InvalidOperationException($"workflow type '{run.WorkflowType}' is not registered on worker {options.Identity} " +
                    $"(registered: {string.Join(", ", workflows.Keys)})");
            instance = await InstanceForAsync(def, lease, ct);
            lease = lease with { History = instance.History, HistoryAfter = 0 };
            commands = instance.RunTask(lease.StartedAt);
        }
        catch (NonDeterminismException nd)
        {
            logger.LogError("{Message}", nd.Message);
            instance = null;
            commands = [new FailWorkflowCommand(nd.ToFailure())];
        }
        catch (Exception e)
        {
            await FailAsync(lease, e, ct);
            return;
        }
        await CommitAsync(lease, instance, commands, ct);
    }

    /// <summary>Records a task whose workflow code threw (a bug: WorkflowTaskFailed, once per streak) and makes it
    /// due again after a backoff.</summary>
    public async Task FailAsync(WorkflowTaskLease lease, Exception e, CancellationToken ct)
    {
        var retryIn = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(lease.Attempt, 10) - 1)));
        logger.LogError(e, "Workflow task of {WorkflowId} failed (attempt {Attempt}); retrying in {Delay}", lease.Run.WorkflowId, lease.Attempt, retryIn);
        var failure = FailureConverter.ToFailure(e) with { Kind = "workflow_task" };
        await store.FailWorkflowTaskAsync(lease, failure, options.Clock.UtcNow + retryIn, options.Clock.UtcNow, ct);
    }

    /// <summary>The cached instance carried forward by the new events, or a fresh one replaying the whole history.</summary>
    private async Task<WorkflowInstance> InstanceForAsync(WorkflowDefinition def, WorkflowTaskLease lease, CancellationToken ct)
    {
        if (_sticky.TryRemove(lease.Run.RunId, out var cached) && lease.HistoryAfter != 0 && cached.LastEventId == lease.HistoryAfter)
        {
            cached.Instance.Extend(lease.History);
            return cached.Instance;
        }
        var history = lease.HistoryAfter == 0 ? lease.History : await store.GetHistoryAsync(lease.Run.RunId, ct);
        return new WorkflowInstance(def, history, _failureTypes, logger);
    }

    private async Task CommitAsync(WorkflowTaskLease lease, WorkflowInstance? instance, IReadOnlyList<WorkflowCommand> commands, CancellationToken ct)
    {
        var reserved = ReserveSlots(commands);
        WorkflowTaskCompletion done;
        try
        {
            done = await store.CompleteWorkflowTaskAsync(lease, commands, options.Clock.UtcNow, EagerRequest(reserved), ct);
        }
        catch
        {
            slots.Release(reserved);
            throw;
        }
        AfterCommit(lease, instance, done, reserved);
    }

    /// <summary>Eager activities: free slots reserved for the activities the commands schedule on our own queue.</summary>
    private int ReserveSlots(IReadOnlyList<WorkflowCommand> commands) => options.DisableEagerDispatch ? 0 : slots.TryReserve(
        commands.Count(c => c is ScheduleActivityCommand s && s.TaskQueue == options.TaskQueue && activityTypes.Contains(s.ActivityType)));

    private EagerActivityRequest? EagerRequest(int reserved) =>
        reserved > 0 ? new EagerActivityRequest(options.TaskQueue, options.Identity!, reserved, activityTypes) : null;

    /// <summary>After a commit: start the activities leased to us, free unused slots, and keep the instance for the
    /// run's next task (unless it closed or the commit was refused).</summary>
    private void AfterCommit(WorkflowTaskLease lease, WorkflowInstance? instance, WorkflowTaskCompletion done, int reserved)
    {
        slots.Release(reserved - done.EagerActivities.Count);
        foreach (var a in done.EagerActivities) slots.StartReserved(a);
        if (!done.Accepted)
        {
            logger.LogDebug("Workflow task of {WorkflowId} raced with new events; it will be replayed", lease.Run.WorkflowId);
            return;
        }
        if (instance is null || instance.IsClosed) return;
        instance.Extend(done.Appended);
        _sticky[lease.Run.RunId] = (instance, instance.History[^1].EventId, Interlocked.Increment(ref _clock));
        if (_sticky.Count > options.MaxCachedWorkflows) Evict();
    }

    /// <summary>Decides a task inside the transaction of the activity report that created it (one commit per step).
    /// Only from the cached instance or a whole history, and only if the code runs cleanly: otherwise null, and the
    /// task is leased with the report and handled after its commit the ordinary way: code that threw is recorded as
    /// a failed task (the exception is kept in <paramref name="state"/>), a non-determinism is judged by a fresh replay.
    /// Called again if the transaction is retried, so it starts by giving back what an earlier call held.</summary>
    public WorkflowDecision? DecideInline(WorkflowTaskLease lease, InlineDecision state)
    {
        state.Abort();
        if (!workflows.TryGetValue(lease.Run.WorkflowType, out var def)) return null;
        WorkflowInstance instance;
        if (_sticky.TryRemove(lease.Run.RunId, out var cached) && lease.HistoryAfter != 0 && cached.LastEventId == lease.HistoryAfter)
        {
            cached.Instance.Extend(lease.History);
            instance = cached.Instance;
        }
        else if (lease.HistoryAfter == 0)
        {
            instance = new WorkflowInstance(def, lease.History, _failureTypes, logger);
        }
        else
        {
            return null;
        }
        IReadOnlyList<WorkflowCommand> commands;
        try
        {
            commands = instance.RunTask(lease.StartedAt);
        }
        catch (NonDeterminismException)
        {
            return null;
        }
        catch (Exception e)
        {
            state.CodeFailure = e;
            return null;
        }
        state.Begin(this, instance, ReserveSlots(commands));
        var whole = lease with { History = instance.History, HistoryAfter = 0 };
        state.Lease = whole;
        return new WorkflowDecision(whole, commands, EagerRequest(state.Reserved));
    }

    internal void AfterInlineCommit(InlineDecision state, WorkflowTaskCompletion done) =>
        AfterCommit(state.Lease!, state.Instance, done, state.Reserved);

    internal void ReleaseSlots(int count) => slots.Release(count);

    /// <summary>Drops the least recently used half of the cache (rare: only when it overflows). Other threads take and
    /// put entries meanwhile, so it works on one snapshot (its count and its order must agree).</summary>
    private void Evict()
    {
        var used = _sticky.Values.Select(v => v.Used).Order().ToList();
        if (used.Count == 0) return;
        var cutoff = used[Math.Max(1, used.Count / 2) - 1];
        foreach (var (runId, entry) in _sticky)
        {
            if (entry.Used <= cutoff) _sticky.TryRemove(runId, out _);
        }
    }
}
