namespace Pipeline.Durable;

/// <summary>An activity attempt (or the whole activity) ran past one of its timeouts.</summary>
public sealed class TimeoutFailureException(string message, TimeoutType timeoutType, Exception? inner = null)
    : FailureException(message, inner)
{
    public TimeoutType TimeoutType { get; } = timeoutType;

    public override Failure ToFailure() => new()
    {
        Kind = "timeout",
        Message = Message,
        TimeoutType = TimeoutType.ToString(),
        Cause = CauseFailure(),
    };
}
