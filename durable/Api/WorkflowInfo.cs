namespace Pipeline.Durable;

/// <summary>Facts about the running workflow, available to workflow code as Workflow.Info.</summary>
public sealed record WorkflowInfo
{
    public required string WorkflowId { get; init; }
    public required string RunId { get; init; }
    public required string WorkflowType { get; init; }
    public required string TaskQueue { get; init; }
    public DateTimeOffset StartTime { get; init; }
    public string? ParentWorkflowId { get; init; }
    public string? ParentRunId { get; init; }
    public string? ContinuedFromRunId { get; init; }
    public IReadOnlyDictionary<string, string>? Memo { get; init; }
}
