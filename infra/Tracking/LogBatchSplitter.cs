namespace Pipeline.Infra.Tracking;

/// <summary>
/// Splits one logical batch into runs/log-batch requests within MLflow's documented per-request limits: at most 1000
/// metrics, 100 params and 100 tags, and 1000 entities in all. Order within each kind is kept (the server applies
/// each kind in request order, so a tag set twice still ends with its last value).
/// </summary>
internal static class LogBatchSplitter
{
    public const int MaxMetrics = 1000;
    public const int MaxParams = 100;
    public const int MaxTags = 100;
    public const int MaxEntities = 1000;

    public static IEnumerable<LogBatchChunk> Split(
        IReadOnlyList<MetricPoint> metrics,
        IReadOnlyList<KeyValuePair<string, string>> parameters,
        IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        int m = 0, p = 0, t = 0;
        while (m < metrics.Count || p < parameters.Count || t < tags.Count)
        {
            var ps = Math.Min(MaxParams, parameters.Count - p);
            var ts = Math.Min(MaxTags, tags.Count - t);
            var ms = Math.Min(Math.Min(MaxMetrics, MaxEntities - ps - ts), metrics.Count - m);
            yield return new LogBatchChunk(Slice(metrics, m, ms), Slice(parameters, p, ps), Slice(tags, t, ts));
            (m, p, t) = (m + ms, p + ps, t + ts);
        }
    }

    private static T[] Slice<T>(IReadOnlyList<T> items, int start, int count)
    {
        var slice = new T[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = items[start + i];
        }

        return slice;
    }
}
