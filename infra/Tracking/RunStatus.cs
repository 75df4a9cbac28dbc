namespace Pipeline.Infra.Tracking;

/// <summary>A run's lifecycle state, named as MLflow names it (RUNNING, FINISHED, FAILED, KILLED).</summary>
public enum RunStatus
{
    Running,
    Finished,
    Failed,
    Killed,
}
