namespace Pipeline.Durable.Storage;

public enum ActivityOutcomeKind
{
    Completed,
    Failed,
    TimedOut,
    Canceled,
}

/// <summary>How an attempt ended and what happens next: <see cref="RetryAt"/> set = another attempt then;
/// null = the activity is finished and the workflow is told.</summary>
public sealed record ActivityOutcome
{
    public required ActivityOutcomeKind Kind { get; init; }
    public string? Result { get; init; }
    public Failure? Failure { get; init; }
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>Heartbeat details not yet flushed when the attempt ended (JSON array).</summary>
    public string? HeartbeatDetails { get; init; }

    /// <summary>False for an attempt that never started (schedule-to-start timeout, cancel before start).</summary>
    public bool Started { get; init; } = true;
}
