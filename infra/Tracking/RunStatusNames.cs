namespace Pipeline.Infra.Tracking;

/// <summary>MLflow's upper-case status names, used on the wire and in the embedded tables alike.</summary>
internal static class RunStatusNames
{
    public static string ToName(RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static RunStatus Parse(string name) => name switch
    {
        "RUNNING" or "SCHEDULED" => RunStatus.Running,
        "FINISHED" => RunStatus.Finished,
        "FAILED" => RunStatus.Failed,
        "KILLED" => RunStatus.Killed,
        _ => throw new FormatException($"Unknown run status '{name}'."),
    };
}
