namespace Pipeline.Durable;

/// <summary>Options for one activity call. StartToCloseTimeout or ScheduleToCloseTimeout is required.</summary>
public sealed record ActivityOptions
{
    /// <summary>Longest a single attempt may run once a worker has started it.</summary>
    public TimeSpan? StartToCloseTimeout { get; init; }

    /// <summary>Longest the activity may take in all, retries included.</summary>
    public TimeSpan? ScheduleToCloseTimeout { get; init; }

    /// <summary>Longest an attempt may wait in the queue before a worker starts it. Not retried when it fires.</summary>
    public TimeSpan? ScheduleToStartTimeout { get; init; }

    /// <summary>A running attempt that has not heartbeated for this long is considered lost and retried.</summary>
    public TimeSpan? HeartbeatTimeout { get; init; }

    /// <summary>Queue the activity is dispatched on. Default: the workflow's own task queue.</summary>
    public string? TaskQueue { get; init; }

    public RetryPolicy? RetryPolicy { get; init; }

    /// <summary>Cancels the activity; default is the workflow's cancellation token.</summary>
    public CancellationToken? CancellationToken { get; init; }

    public ActivityCancellationType CancellationType { get; init; } = ActivityCancellationType.TryCancel;

    /// <summary>A stable id for the activity within its run (default: its sequence number).</summary>
    public string? ActivityId { get; init; }

    internal void Validate(string activityType)
    {
        if (StartToCloseTimeout is null && ScheduleToCloseTimeout is null)
            throw new ArgumentException(
                $"Activity '{activityType}': set StartToCloseTimeout or ScheduleToCloseTimeout in ActivityOptions.");
        foreach (var (name, value) in new[] {
            ("StartToCloseTimeout", StartToCloseTimeout), ("ScheduleToCloseTimeout", ScheduleToCloseTimeout),
            ("ScheduleToStartTimeout", ScheduleToStartTimeout), ("HeartbeatTimeout", HeartbeatTimeout) })
        {
            if (value is { } v && v <= TimeSpan.Zero)
                throw new ArgumentException($"Activity '{activityType}': {name} must be positive, was {v}.");
        }
        (RetryPolicy ?? RetryPolicy.Default).Validate($"Activity '{activityType}'");
    }
}
