namespace Pipeline.Workflows.Contracts;

/// <summary>The run's outcome, published as <c>PostTrainingCompleted</c> when the run ends.</summary>
public sealed record CompletionNotice(string WorkflowId, DatasetVersionRef Dataset, PostTrainingStatus Status, ModelRef? Challenger, string Reason);
