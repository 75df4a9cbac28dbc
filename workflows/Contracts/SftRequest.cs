namespace Pipeline.Workflows.Contracts;

/// <summary>Train a LoRA adapter on the dataset version's SFT split, starting from <paramref name="Base"/>.</summary>
public sealed record SftRequest(ModelRef Base, DatasetVersionRef Dataset, SftConfig Config, string WorkflowId);
