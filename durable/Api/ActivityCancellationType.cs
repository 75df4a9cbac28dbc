namespace Pipeline.Durable;

/// <summary>What awaiting code sees when an activity's cancellation token fires (Temporal's modes).</summary>
public enum ActivityCancellationType
{
    /// <summary>Request cancellation and fail the awaiting task at once with a canceled failure.</summary>
    TryCancel,

    /// <summary>Request cancellation and wait until the activity reports it is done (canceled, completed or failed).</summary>
    WaitCancellationCompleted,

    /// <summary>Fail the awaiting task at once and do not tell the activity.</summary>
    Abandon,
}
