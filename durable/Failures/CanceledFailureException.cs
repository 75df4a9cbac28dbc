namespace Pipeline.Durable;

/// <summary>Work was cancelled: an activity that honoured a cancel request, or a cancelled child workflow.</summary>
public sealed class CanceledFailureException(string message = "canceled", Exception? inner = null)
    : FailureException(message, inner)
{
    public override Failure ToFailure() => new() { Kind = "canceled", Message = Message, Cause = CauseFailure() };
}
