namespace Pipeline.Infra.Tracking;

/// <summary>One run as the store holds it: its info plus its params and latest tags. Metrics are read per key
/// with <see cref="ITrackingStore.GetMetricHistoryAsync"/>.</summary>
public sealed record TrackedRun(
    string Id,
    string ExperimentId,
    string Name,
    RunStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags);
