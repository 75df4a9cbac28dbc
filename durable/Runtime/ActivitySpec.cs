namespace Pipeline.Durable.Runtime;

/// <summary>The timeouts and retry policy of a scheduled activity, as stored with its task (milliseconds).</summary>
public sealed record ActivitySpec
{
    public long? StartToCloseMs { get; init; }
    public long? ScheduleToCloseMs { get; init; }
    public long? ScheduleToStartMs { get; init; }
    public long? HeartbeatMs { get; init; }
    public required RetryPolicy RetryPolicy { get; init; }
    public string? ActivityId { get; init; }

    public static ActivitySpec From(ActivityOptions o) => new()
    {
        StartToCloseMs = Ms(o.StartToCloseTimeout),
        ScheduleToCloseMs = Ms(o.ScheduleToCloseTimeout),
        ScheduleToStartMs = Ms(o.ScheduleToStartTimeout),
        HeartbeatMs = Ms(o.HeartbeatTimeout),
        RetryPolicy = o.RetryPolicy ?? RetryPolicy.Default,
        ActivityId = o.ActivityId,
    };

    private static long? Ms(TimeSpan? t) => t is { } v ? (long)v.TotalMilliseconds : null;
}
