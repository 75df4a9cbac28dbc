namespace Pipeline.Durable.Storage;

/// <summary>Asks an activity's final report to lease the workflow task it creates, for the reporting worker to run at
/// once (no poll round trip), if the run's queue is the worker's and no one else holds the task.</summary>
/// <param name="TaskQueue">The worker's queue.</param>
/// <param name="Identity">The worker's identity.</param>
/// <param name="KnownHistory">How much of a run's history the worker already has cached (last event id, 0 = none).</param>
/// <param name="Decide">If set, called inside the report's transaction with the leased task: a decision returned is
/// committed with the report (one commit for the step); null leaves the task leased to the worker to run after.</param>
/// <param name="WorkflowTypes">The workflow types the worker runs (null: any); a run of another type is left queued
/// for a worker that has it.</param>
public sealed record EagerWorkflowRequest(string TaskQueue, string Identity, Func<string, long> KnownHistory,
    Func<WorkflowTaskLease, WorkflowDecision?>? Decide = null, IReadOnlySet<string>? WorkflowTypes = null)
{
    public bool Covers(string taskQueue, string workflowType) =>
        taskQueue == TaskQueue && (WorkflowTypes is null || WorkflowTypes.Contains(workflowType));
}
