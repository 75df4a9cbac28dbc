namespace Pipeline.Workers.Recipe;

/// <summary>One model's held-out numbers in the demo's summary, fractions in [0, 1] (null when the suite did not run).</summary>
public sealed record ModelSummary(
    string Model,
    double? InDomainAccuracy,
    double? OodAccuracy,
    double? RefusalRate,
    double? OverRefusalRate,
    double? AbstentionRate,
    double? CalibrationEce,
    double? GoldenAccuracy)
{
    /// <summary>From an eval stage's metrics (keys <c>suite/metric</c>, as the demo suites name them).</summary>
    public static ModelSummary From(string model, IReadOnlyDictionary<string, double> m) => new(model,
        m.GetValueOrNull("in_domain/accuracy"), m.GetValueOrNull("ood/accuracy"), m.GetValueOrNull("refusal/refusal_rate"),
        m.GetValueOrNull("refusal/over_refusal_rate"), m.GetValueOrNull("calibration/abstention_rate"), m.GetValueOrNull("in_domain/ece"),
        m.GetValueOrNull("golden/accuracy"));
}

internal static class MetricLookup
{
    public static double? GetValueOrNull(this IReadOnlyDictionary<string, double> metrics, string key) =>
        metrics.TryGetValue(key, out var v) ? v : null;
}
