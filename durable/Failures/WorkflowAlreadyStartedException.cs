namespace Pipeline.Durable;

/// <summary>Starting a workflow id was refused by its id reuse or conflict policy.</summary>
public sealed class WorkflowAlreadyStartedException(string workflowId, string existingRunId, string reason)
    : Exception($"Workflow id '{workflowId}' cannot be started: {reason} (existing run {existingRunId}).")
{
    public string WorkflowId { get; } = workflowId;
    public string ExistingRunId { get; } = existingRunId;
}
