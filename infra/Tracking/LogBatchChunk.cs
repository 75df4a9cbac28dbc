namespace Pipeline.Infra.Tracking;

/// <summary>The entities of one runs/log-batch request.</summary>
internal sealed record LogBatchChunk(
    IReadOnlyList<MetricPoint> Metrics,
    IReadOnlyList<KeyValuePair<string, string>> Params,
    IReadOnlyList<KeyValuePair<string, string>> Tags);
