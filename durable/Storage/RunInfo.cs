namespace Pipeline.Durable.Storage;

/// <summary>One run of a workflow id, as listed and described.</summary>
public sealed record RunInfo
{
    public required string WorkflowId { get; init; }
    public required string RunId { get; init; }
    public required string WorkflowType { get; init; }
    public required string TaskQueue { get; init; }
    public required string Status { get; init; }
    public string? Input { get; init; }
    public string? Result { get; init; }
    public Failure? Failure { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public string? ParentWorkflowId { get; init; }
    public string? ParentRunId { get; init; }
    public string? ContinuedFromRunId { get; init; }
    public string? ContinuedToRunId { get; init; }
    public long LastEventId { get; init; }
    public IReadOnlyDictionary<string, string>? Memo { get; init; }
    public TimeSpan WorkflowTaskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool IsOpen => Status == RunStatus.Running;
}
