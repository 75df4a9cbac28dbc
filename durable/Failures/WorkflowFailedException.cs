namespace Pipeline.Durable;

/// <summary>Thrown by a client's GetResultAsync when the run did not complete successfully.</summary>
public sealed class WorkflowFailedException(string workflowId, string runId, string status, Failure? failure)
    : Exception($"Workflow '{workflowId}' (run {runId}) ended {status}" + (failure is null ? "" : $": {failure}"))
{
    public string WorkflowId { get; } = workflowId;
    public string RunId { get; } = runId;
    public string Status { get; } = status;
    public Failure? Failure { get; } = failure;
}
