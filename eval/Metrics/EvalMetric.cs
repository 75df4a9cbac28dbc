using Pipeline.Eval.Results;

namespace Pipeline.Eval.Metrics;

/// <summary>
/// A metric is a function of a suite's per-example results, so the same definition gives the point value, its
/// bootstrap interval (recomputed on resampled examples) and a gate's paired significance test.
/// </summary>
/// <param name="Applies">Which examples the metric is computed over (those carrying its inputs).</param>
/// <param name="Compute">The value over a non-empty list of applicable examples.</param>
public sealed record EvalMetric(
    string Name,
    MetricDirection Direction,
    string Description,
    Func<ExampleResult, bool> Applies,
    Func<IReadOnlyList<ExampleResult>, double> Compute)
{
    /// <summary>The value over the examples it applies to; NaN when there are none.</summary>
    public double Evaluate(IEnumerable<ExampleResult> examples)
    {
        var applicable = examples.Where(Applies).ToList();
        return applicable.Count == 0 ? double.NaN : Compute(applicable);
    }

    /// <summary>+1 when a larger value is better, −1 when smaller is, 0 for neutral metrics.</summary>
    public int Sign => Direction switch
    {
        MetricDirection.HigherIsBetter => 1,
        MetricDirection.LowerIsBetter => -1,
        _ => 0,
    };
}
