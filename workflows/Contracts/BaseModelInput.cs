namespace Pipeline.Workflows.Contracts;

/// <summary>Make and register a base model: pretrain on <paramref name="Dataset"/>'s corpus, gate it, register it as
/// <paramref name="BaseModel"/> (NAME@ALIAS: the next version of NAME, with the alias).</summary>
public sealed record BaseModelInput(DatasetVersionRef Dataset, string BaseModel, PretrainConfig Config, string EvalQueue, string TrainingQueue);
