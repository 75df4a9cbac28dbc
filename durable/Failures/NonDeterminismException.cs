namespace Pipeline.Durable;

/// <summary>Replaying a run's history with the current workflow code disagreed with what the history records.
/// The run is stopped (failed) rather than allowed to continue on a corrupted state.</summary>
public sealed class NonDeterminismException(long eventId, string message) : FailureException(message)
{
    /// <summary>The history event whose replay disagreed.</summary>
    public long EventId { get; } = eventId;

    public override Failure ToFailure() => new() { Kind = "nondeterminism", Message = Message, ErrorType = "NonDeterminism", NonRetryable = true };
}
