namespace Pipeline.Workflows.Contracts;

/// <summary>A running A/B experiment of the serving layer.</summary>
public sealed record ExperimentRef(string ModelName, string ExperimentId);
