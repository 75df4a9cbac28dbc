namespace Pipeline.Durable;

/// <summary>What workflow code catches when an activity fails for good. The cause (InnerException) is an
/// ApplicationFailureException, TimeoutFailureException or CanceledFailureException.</summary>
public sealed class ActivityFailureException(string activityType, int seq, int attempt, Exception inner)
    : FailureException($"Activity '{activityType}' (seq {seq}) failed after {attempt} attempt(s): {inner.Message}", inner)
{
    public string ActivityType { get; } = activityType;
    public int Seq { get; } = seq;
    public int Attempt { get; } = attempt;

    public override Failure ToFailure() => new()
    {
        Kind = "activity",
        Message = Message,
        ErrorType = ActivityType,
        Cause = CauseFailure(),
    };
}
