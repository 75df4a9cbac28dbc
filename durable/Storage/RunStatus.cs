namespace Pipeline.Durable.Storage;

/// <summary>A run's status as stored and shown (`workflow show --json` prints these strings).</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Terminated = "terminated";
    public const string ContinuedAsNew = "continued_as_new";

    public static readonly IReadOnlyList<string> All = [Running, Completed, Failed, Cancelled, Terminated, ContinuedAsNew];
}
