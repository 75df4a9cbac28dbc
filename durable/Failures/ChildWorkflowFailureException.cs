namespace Pipeline.Durable;

/// <summary>What workflow code catches when a child workflow fails, is cancelled or terminated, or cannot start.</summary>
public sealed class ChildWorkflowFailureException(string workflowType, string workflowId, string message, Exception? inner)
    : FailureException($"Child workflow '{workflowType}' ({workflowId}): {message}", inner)
{
    public string WorkflowType { get; } = workflowType;
    public string WorkflowId { get; } = workflowId;

    public override Failure ToFailure() => new()
    {
        Kind = "child_workflow",
        Message = Message,
        ErrorType = WorkflowType,
        Cause = CauseFailure(),
    };
}
