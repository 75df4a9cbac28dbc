using System.Text.Json.Serialization;
using Pipeline.Eval.Metrics;

namespace Pipeline.Eval.Gates;

/// <summary>One rule of a <see cref="GatePolicy"/>, as read from its YAML.</summary>
/// <param name="Index">0-based position in the policy's <c>rules</c>, as errors name it (<c>rules[2]</c>).</param>
/// <param name="Metric"><c>SUITE/METRIC</c>, METRIC a <see cref="MetricCatalog"/> name.</param>
/// <param name="Threshold">The floor, ceiling, required lift or allowed regression (≥ 0 for the relative kinds).</param>
/// <param name="Significant">min_lift only: the paired-bootstrap interval of the lift must lie above 0.</param>
/// <param name="Axis">Set in the policy; null means the suite's axis in the candidate's eval.json.</param>
/// <param name="Direction">Which way is better: the catalog's, or the policy's for a neutral metric.</param>
/// <param name="Line">The rule's line in the policy file.</param>
public sealed record GateRule(
    int Index,
    string Name,
    string Metric,
    RuleKind Kind,
    double Threshold,
    bool Significant,
    string? Axis,
    [property: JsonConverter(typeof(SnakeCaseEnumConverter<MetricDirection>))] MetricDirection Direction,
    int Line)
{
    public string Suite => Metric[..Metric.IndexOf('/')];

    public string MetricName => Metric[(Metric.IndexOf('/') + 1)..];

    /// <summary>min_lift and max_regression compare against a baseline.</summary>
    public bool IsRelative => Kind is RuleKind.MinLift or RuleKind.MaxRegression;

    /// <summary>+1 when a larger value is better, −1 when smaller is.</summary>
    public int Sign => Direction == MetricDirection.LowerIsBetter ? -1 : 1;

    /// <summary>The name a rule gets when the policy gives none: <c>in_domain/accuracy min_lift</c>.</summary>
    public static string DefaultName(string metric, RuleKind kind) => $"{metric} {KindName(kind)}";

    public static string KindName(RuleKind kind) => kind switch
    {
        RuleKind.Min => "min",
        RuleKind.Max => "max",
        RuleKind.MinLift => "min_lift",
        _ => "max_regression",
    };
}
