using System.Text.Json.Serialization;
using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Gates;

/// <summary>One rule's verdict in a <see cref="GateDecision"/>: what was compared, the numbers, and why it passed or
/// failed, in one line a person can read.</summary>
public sealed record RuleOutcome
{
    public required int Index { get; init; }

    public required string Name { get; init; }

    public required string Metric { get; init; }

    public required string Axis { get; init; }

    public required RuleKind Kind { get; init; }

    public required double Threshold { get; init; }

    [JsonConverter(typeof(SnakeCaseEnumConverter<MetricDirection>))]
    public required MetricDirection Direction { get; init; }

    public bool Significant { get; init; }

    /// <summary>The candidate's value, interval and example count from its eval.json.</summary>
    public required MetricResult Candidate { get; init; }

    /// <summary>The baseline's, when a baseline was given and has the metric (always, for relative rules).</summary>
    public MetricResult? Baseline { get; init; }

    /// <summary>Candidate − baseline as measured (not direction-adjusted); null without a baseline value.</summary>
    public double? Delta { get; init; }

    /// <summary>How far inside the threshold the candidate is (≥ 0 holds, within <see cref="GateEvaluator.Tolerance"/>).</summary>
    public required double Margin { get; init; }

    /// <summary>The paired bootstrap of a <c>significant: true</c> rule.</summary>
    public SignificanceResult? Significance { get; init; }

    public required bool Passed { get; init; }

    public required string Reason { get; init; }
}
