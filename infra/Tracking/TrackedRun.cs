namespace Pipeline.Infra.Tracking;

/// <summary>One run as the store holds it: its info, its params, its latest tags and the latest value of each metric
/// (MLflow's <c>run.data.metrics</c>: the point with the highest step, then the latest timestamp). Every point of a
/// metric is read with <see cref="ITrackingStore.GetMetricHistoryAsync"/>.</summary>
public sealed record TrackedRun(
    string Id,
    string ExperimentId,
    string Name,
    RunStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, double> Metrics);
