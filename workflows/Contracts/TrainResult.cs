namespace Pipeline.Workflows.Contracts;

/// <summary>A training stage's product: the new model's package, how many updates it took, where a retried attempt
/// resumed (0: it did not), its final training metrics (TRL's names) and its tracking run.</summary>
public sealed record TrainResult(
    ModelRef Model, long Steps, long ResumedFromStep, IReadOnlyDictionary<string, double> Metrics, string? TrackingRunId);
