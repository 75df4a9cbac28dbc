namespace Pipeline.Durable;

/// <summary>How a failed activity attempt is retried. Defaults are Temporal's.</summary>
public sealed record RetryPolicy
{
    /// <summary>Delay before the first retry. Default 1 s.</summary>
    public TimeSpan InitialInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Each retry waits this many times longer than the previous one. Default 2.</summary>
    public double BackoffCoefficient { get; init; } = 2.0;

    /// <summary>Upper bound on the delay between attempts. Default 100 × InitialInterval.</summary>
    public TimeSpan? MaximumInterval { get; init; }

    /// <summary>Attempts in all, the first included. 0 = unlimited (default).</summary>
    public int MaximumAttempts { get; init; }

    /// <summary>Failure types (ApplicationFailureException.ErrorType, or an exception's type name) that are never retried.</summary>
    public IReadOnlyList<string> NonRetryableErrorTypes { get; init; } = [];

    public static RetryPolicy Default { get; } = new();

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2, 3, …).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        var max = MaximumInterval ?? InitialInterval * 100;
        var delayMs = InitialInterval.TotalMilliseconds * Math.Pow(BackoffCoefficient, Math.Max(0, nextAttempt - 2));
        return TimeSpan.FromMilliseconds(Math.Min(delayMs, max.TotalMilliseconds));
    }

    public void Validate(string owner)
    {
        if (InitialInterval <= TimeSpan.Zero)
            throw new ArgumentException($"{owner}: RetryPolicy.InitialInterval must be positive, was {InitialInterval}.");
        if (BackoffCoefficient < 1)
            throw new ArgumentException($"{owner}: RetryPolicy.BackoffCoefficient must be >= 1, was {BackoffCoefficient}.");
        if (MaximumInterval is { } m && m < InitialInterval)
            throw new ArgumentException($"{owner}: RetryPolicy.MaximumInterval ({m}) must be >= InitialInterval ({InitialInterval}).");
        if (MaximumAttempts < 0)
            throw new ArgumentException($"{owner}: RetryPolicy.MaximumAttempts must be >= 0 (0 = unlimited), was {MaximumAttempts}.");
    }
}
