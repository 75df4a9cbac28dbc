using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Reports;

/// <summary>One metric of one suite in a report: the baseline's and the candidate's result (either may be absent).</summary>
internal sealed record MetricRow(string Metric, MetricDirection Direction, MetricResult? Baseline, MetricResult? Candidate)
{
    /// <summary>Candidate − baseline when both have a value.</summary>
    public double? Delta => Candidate is { } c && Baseline is { } b && double.IsFinite(c.Value) && double.IsFinite(b.Value)
        ? c.Value - b.Value
        : null;

    public string Better => Direction switch
    {
        MetricDirection.HigherIsBetter => "higher",
        MetricDirection.LowerIsBetter => "lower",
        _ => "",
    };
}
