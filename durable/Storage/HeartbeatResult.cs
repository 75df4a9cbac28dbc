namespace Pipeline.Durable.Storage;

public enum HeartbeatResult
{
    Ok,
    CancelRequested,

    /// <summary>The attempt is no longer current (timed out, or the run closed): stop working.</summary>
    NotFound,
}
