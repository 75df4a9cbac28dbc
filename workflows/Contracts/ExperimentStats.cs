namespace Pipeline.Workflows.Contracts;

/// <summary>The A/B experiment's numbers per variant.</summary>
public sealed record ExperimentStats(string ExperimentId, VariantStats Champion, VariantStats Challenger);
