using Microsoft.Extensions.Logging;

namespace Pipeline.Durable.Worker;

public sealed record WorkerOptions
{
    /// <summary>The queue this worker polls for workflow and activity tasks.</summary>
    public required string TaskQueue { get; init; }

    /// <summary>Shown in history as who did the work. Default "{host}:{pid}".</summary>
    public string? Identity { get; init; }

    /// <summary>Activity attempts run at once by this worker. Default 8.</summary>
    public int MaxConcurrentActivities { get; init; } = 8;

    /// <summary>Workflow tasks processed at once by this worker. Default 2.</summary>
    public int MaxConcurrentWorkflowTasks { get; init; } = 2;

    public IClock Clock { get; init; } = SystemClock.Instance;

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Resolves activity classes registered by type. Optional.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>Exception types that fail the workflow when workflow code lets them escape (besides
    /// FailureException). Others fail only the workflow task, which is retried: a bug should not end a run.</summary>
    public IReadOnlyList<Type> WorkflowFailureExceptionTypes { get; init; } = [];

    /// <summary>Whether this worker also fires timers and detects timed-out activities. Every worker may do it
    /// (it is safe with many); the time-skipping environment turns it off and drives it itself.</summary>
    public bool RunMaintenance { get; init; } = true;

    /// <summary>How long running activities get to finish at shutdown before they are cancelled. Default 10 s.</summary>
    public TimeSpan GracefulShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Turns off eager dispatch (Temporal's eager activity execution, and its mirror here: an activity's
    /// result and the workflow task it wakes committed together by the worker that ran both). With it off every
    /// task goes through its queue and a poll. Default false.</summary>
    public bool DisableEagerDispatch { get; init; }

    /// <summary>Runs kept in memory between workflow tasks (sticky cache), so a task replays only its new events.
    /// Default 1000.</summary>
    public int MaxCachedWorkflows { get; init; } = 1000;

    /// <summary>Heartbeats are written at most this often when the activity has no heartbeat timeout. Default 30 s.</summary>
    public TimeSpan DefaultHeartbeatThrottle { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Heartbeats are written at most once per 80% of the heartbeat timeout, and at least this often when there
    /// are new details (progress shown by other processes is this fresh). Default 60 s, as Temporal's.</summary>
    public TimeSpan MaxHeartbeatThrottle { get; init; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(TaskQueue)) throw new ArgumentException("WorkerOptions.TaskQueue is required.");
        if (MaxConcurrentActivities < 1) throw new ArgumentException($"WorkerOptions.MaxConcurrentActivities must be >= 1, was {MaxConcurrentActivities}.");
        if (MaxConcurrentWorkflowTasks < 1) throw new ArgumentException($"WorkerOptions.MaxConcurrentWorkflowTasks must be >= 1, was {MaxConcurrentWorkflowTasks}.");
    }
}
