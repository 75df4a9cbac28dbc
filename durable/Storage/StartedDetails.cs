namespace Pipeline.Durable.Storage;

/// <summary>Details of a WorkflowExecutionStarted event: the seed of Workflow.Random and where the run came from.</summary>
public sealed record StartedDetails(long RandomSeed, string? ParentWorkflowId, string? ParentRunId, string? ContinuedFromRunId,
    IReadOnlyDictionary<string, string>? Memo);
