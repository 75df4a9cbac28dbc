namespace Pipeline.Workflows.Contracts;

/// <summary>The base model workflow's outcome: the registered base, or why its gate blocked it.</summary>
public sealed record BaseModelResult(bool Passed, ModelRef? Model, string Reason, IReadOnlyList<StageRecord> Stages);
