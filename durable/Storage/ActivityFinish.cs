namespace Pipeline.Durable.Storage;

/// <summary>The result of ending an activity attempt.</summary>
/// <param name="Accepted">False when the attempt was no longer current (a late report from a worker presumed lost).</param>
/// <param name="EagerWorkflowTask">The run's workflow task, leased to the reporting worker (see <see cref="EagerWorkflowRequest"/>).</param>
/// <param name="Decision">The workflow task decided and committed with the report, if the worker decided it inline.</param>
/// <param name="Completion">What committing that decision recorded.</param>
public sealed record ActivityFinish(bool Accepted, WorkflowTaskLease? EagerWorkflowTask = null, WorkflowDecision? Decision = null,
    WorkflowTaskCompletion? Completion = null)
{
    public static ActivityFinish Refused { get; } = new(false);
}
