namespace Pipeline.Workflows.Contracts;

/// <summary>What a recipe run decided and why: every stage's record, the models it compared, and the registry
/// version of the challenger (null when a gate blocked it before registration).</summary>
public sealed record PostTrainingResult(
    PostTrainingStatus Status,
    bool Promoted,
    string Reason,
    IReadOnlyList<StageRecord> Stages,
    IReadOnlyDictionary<string, ModelRef> Models,
    ModelRef? Challenger);
