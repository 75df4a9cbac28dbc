namespace Pipeline.Durable.Storage;

/// <summary>An activity scheduled and not yet finished, as shown by `workflow show`.</summary>
public sealed record PendingActivity
{
    public required int Seq { get; init; }
    public required string ActivityType { get; init; }
    public required string TaskQueue { get; init; }
    public required int Attempt { get; init; }

    /// <summary>scheduled | started | backoff</summary>
    public required string State { get; init; }

    public DateTimeOffset ScheduledAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? Identity { get; init; }
    public DateTimeOffset? LastHeartbeatAt { get; init; }
    public string? HeartbeatDetails { get; init; }
    public Failure? LastFailure { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public bool CancelRequested { get; init; }
}
