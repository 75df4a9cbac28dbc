using Pipeline.Durable.Runtime;

namespace Pipeline.Durable.Storage;

/// <summary>One attempt of an activity, held by one worker.</summary>
public sealed record ActivityTaskLease
{
    public required string WorkflowId { get; init; }
    public required string RunId { get; init; }
    public required string WorkflowType { get; init; }
    public required int Seq { get; init; }
    public required string ActivityType { get; init; }
    public required string TaskQueue { get; init; }
    public required string Input { get; init; }
    public required ActivitySpec Spec { get; init; }
    public required int Attempt { get; init; }
    public required DateTimeOffset ScheduledAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? Identity { get; init; }

    /// <summary>Heartbeat details of the last attempt that heartbeated (JSON array), for resuming.</summary>
    public string? HeartbeatDetails { get; init; }

    public DateTimeOffset? LastHeartbeatAt { get; init; }
    public Failure? LastFailure { get; init; }

    public ActivityTaskKey Key => new(RunId, Seq, Attempt);
}
