namespace Pipeline.Infra.Tracking;

/// <summary>One logged value of a metric. Metrics are appended, never overwritten; timestamps keep millisecond
/// precision (MLflow's unit).</summary>
public sealed record MetricPoint(string Key, double Value, long Step, DateTimeOffset Timestamp);
