namespace Pipeline.Durable;

/// <summary>Facts about the running activity attempt.</summary>
public sealed record ActivityInfo
{
    public required string ActivityType { get; init; }
    public required string ActivityId { get; init; }
    public required string WorkflowId { get; init; }
    public required string RunId { get; init; }
    public required string WorkflowType { get; init; }
    public required string TaskQueue { get; init; }

    /// <summary>1 for the first attempt, 2 for the first retry, …</summary>
    public required int Attempt { get; init; }

    public DateTimeOffset ScheduledAt { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public TimeSpan? HeartbeatTimeout { get; init; }

    /// <summary>The details of the last heartbeat recorded by an earlier attempt (JSON array), if any.</summary>
    public string? HeartbeatDetails { get; init; }
}
