namespace Pipeline.Workflows.Contracts;

/// <summary>Pretrain a base model on the dataset version's raw-text corpus.</summary>
public sealed record PretrainRequest(DatasetVersionRef Dataset, PretrainConfig Config, string WorkflowId);
