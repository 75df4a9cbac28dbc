using Pipeline.Durable.Runtime;

namespace Pipeline.Durable.Worker;

/// <summary>Temporal's retry rules: whether a failed attempt is retried, and when.</summary>
public static class RetryDecider
{
    /// <summary>When the next attempt may start, or null if the activity has failed for good.</summary>
    public static DateTimeOffset? NextAttemptAt(ActivitySpec spec, int attempt, DateTimeOffset scheduledAt, DateTimeOffset now, Failure failure)
    {
        var policy = spec.RetryPolicy;
        if (failure.NonRetryable) return null;
        if (failure.Kind == "timeout" && failure.TimeoutType is nameof(TimeoutType.ScheduleToStart) or nameof(TimeoutType.ScheduleToClose))
            return null;
        if (failure.ErrorType is { } type && policy.NonRetryableErrorTypes.Contains(type)) return null;
        if (policy.MaximumAttempts > 0 && attempt >= policy.MaximumAttempts) return null;
        var next = now + policy.DelayBefore(attempt + 1);
        if (spec.ScheduleToCloseMs is { } s2close && next >= scheduledAt.AddMilliseconds(s2close)) return null;
        return next;
    }
}
