using System.Text.Json.Serialization;

namespace Pipeline.Serving.Storage;

/// <summary>Nearest-rank percentiles of request latency; null when there were no requests.</summary>
public sealed record LatencySummary(
    [property: JsonPropertyName("p50")] double? P50,
    [property: JsonPropertyName("p95")] double? P95)
{
    public static LatencySummary Of(IReadOnlyList<double> latencies)
    {
        if (latencies.Count == 0)
        {
            return new LatencySummary(null, null);
        }
        var sorted = latencies.Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencySummary(Rank(0.50), Rank(0.95));
    }
}
