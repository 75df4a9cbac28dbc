using Pipeline.Durable.History;
using Pipeline.Durable.Runtime;

namespace Pipeline.Durable.Storage;

/// <summary>The single source of truth: runs, their histories, and the task queues. Every state change is one
/// transaction that appends history and moves tasks together, so a crash at any point leaves a consistent store.
/// Times are passed in (the engine's clock) so that a fake clock drives everything in tests.</summary>
public interface IWorkflowStore : IAsyncDisposable
{
    /// <summary>A printable description ("sqlite:/path", "postgres:host:port/db").</summary>
    string Description { get; }

    /// <summary>Creates the schema if missing. Safe to call from many processes at once.</summary>
    Task InitializeAsync(CancellationToken ct = default);

    Task<StartResult> StartWorkflowAsync(StartWorkflowRequest request, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>The given run, or the latest run of the id when <paramref name="runId"/> is null.</summary>
    Task<RunInfo?> GetRunAsync(string workflowId, string? runId = null, CancellationToken ct = default);

    Task<IReadOnlyList<RunInfo>> ListRunsAsync(RunQuery query, CancellationToken ct = default);

    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string runId, CancellationToken ct = default);

    Task<IReadOnlyList<PendingActivity>> GetPendingActivitiesAsync(string runId, CancellationToken ct = default);

    /// <summary>Appends a signal; false when the run is not open.</summary>
    Task<bool> SignalAsync(string runId, string name, string input, string identity, DateTimeOffset now, CancellationToken ct = default);

    Task<bool> RequestCancelAsync(string runId, string reason, string identity, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Closes the run at once, without running workflow code; children with policy Terminate go too.</summary>
    Task<bool> TerminateAsync(string runId, string reason, string identity, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Leases a due workflow task. With <paramref name="knownHistory"/> (a worker's cache: last event id it
    /// has of a run) only the events after it are read; the lease's HistoryAfter says where its history starts.</summary>
    Task<WorkflowTaskLease?> PollWorkflowTaskAsync(string taskQueue, string identity, DateTimeOffset now,
        Func<string, long>? knownHistory = null, CancellationToken ct = default);

    /// <summary>Commits the commands and their events if the history is unchanged since the lease (the lease's
    /// History must then be the run's whole history); otherwise releases the task for a fresh replay.</summary>
    Task<WorkflowTaskCompletion> CompleteWorkflowTaskAsync(WorkflowTaskLease lease, IReadOnlyList<WorkflowCommand> commands,
        DateTimeOffset now, EagerActivityRequest? eager = null, CancellationToken ct = default);

    /// <summary>Records a failed workflow task (a bug in workflow code) and makes it visible again at <paramref name="retryAt"/>.</summary>
    Task FailWorkflowTaskAsync(WorkflowTaskLease lease, Failure failure, DateTimeOffset retryAt, DateTimeOffset now, CancellationToken ct = default);

    Task<ActivityTaskLease?> PollActivityTaskAsync(string taskQueue, string identity, DateTimeOffset now, CancellationToken ct = default);

    Task<HeartbeatResult> RecordHeartbeatAsync(ActivityTaskKey key, string? details, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Ends an attempt; refused when the attempt is no longer current (a late report from a lost worker).</summary>
    Task<ActivityFinish> FinishActivityAttemptAsync(ActivityTaskKey key, ActivityOutcome outcome, DateTimeOffset now,
        EagerWorkflowRequest? eager = null, CancellationToken ct = default);

    /// <summary>Fires every timer due at <paramref name="now"/>; returns how many fired.</summary>
    Task<int> FireDueTimersAsync(DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Activity attempts past a deadline (start-to-close, heartbeat, schedule-to-start, schedule-to-close).</summary>
    Task<IReadOnlyList<ActivityTaskLease>> GetExpiredActivitiesAsync(DateTimeOffset now, int limit, CancellationToken ct = default);

    /// <summary>True while any task is due or held (used by the time-skipping environment to know it is idle).</summary>
    Task<bool> HasBusyWorkAsync(DateTimeOffset now, CancellationToken ct = default);

    /// <summary>The earliest future moment something becomes due: a timer, a retry, a deadline.</summary>
    Task<DateTimeOffset?> GetNextDeadlineAsync(DateTimeOffset now, CancellationToken ct = default);

    /// <summary>A task that completes at the next notification that work was added to the queue. Take it
    /// before polling, so that a notification between an empty poll and the wait is not missed.</summary>
    Task NextTaskSignal(string taskQueue, TaskKind kind);

    /// <summary>A task that completes at the next change of the run's history.</summary>
    Task NextRunSignal(string runId);

    /// <summary>A task that completes when a timer or a delayed retry was created anywhere.</summary>
    Task NextMaintenanceSignal();

    /// <summary>Wakes every poller in this process (a delayed task became due).</summary>
    void WakeAllPollers();

    /// <summary>How long a poller should wait without a signal before polling again: short where
    /// notifications cannot cross processes (SQLite), long where they can (PostgreSQL LISTEN/NOTIFY).</summary>
    TimeSpan PollFallbackInterval { get; }
}
