using Pipeline.Durable;

namespace Pipeline.Activities.Support;

/// <summary>The running attempt's cancellation and heartbeat, or nothing when the code runs outside an activity
/// (a test calling a stage directly).</summary>
internal static class CurrentActivity
{
    public static CancellationToken Token => ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;

    public static void Heartbeat(params object?[] details)
    {
        if (ActivityExecutionContext.HasCurrent) ActivityExecutionContext.Current.Heartbeat(details);
    }
}
