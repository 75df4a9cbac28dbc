namespace Pipeline.Durable;

/// <summary>Thrown from workflow code (see Workflow.CreateContinueAsNewException) to close this run and start a
/// fresh one of the same workflow id with new input and an empty history.</summary>
public sealed class ContinueAsNewException(string workflowType, string input, string? taskQueue)
    : Exception($"continue as new: {workflowType}")
{
    public string WorkflowType { get; } = workflowType;

    /// <summary>JSON array of arguments for the new run.</summary>
    public string Input { get; } = input;

    public string? TaskQueue { get; } = taskQueue;
}
