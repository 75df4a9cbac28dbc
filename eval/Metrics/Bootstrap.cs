using Pipeline.Eval.Results;

namespace Pipeline.Eval.Metrics;

/// <summary>
/// Percentile bootstrap (Efron &amp; Tibshirani 1993, ch. 13) over examples: resample the examples with replacement
/// <c>samples</c> times, recompute the metric on each resample, and take the (1−c)/2 and (1+c)/2 quantiles (linear
/// interpolation between order statistics, numpy's default). Resamples on which the metric is undefined (no applicable
/// example drawn) are left out. The generator is seeded, so a run's intervals are reproducible.
/// </summary>
public static class Bootstrap
{
    public static MetricResult Interval(EvalMetric metric, IReadOnlyList<ExampleResult> examples, BootstrapSettings settings)
    {
        var applicable = examples.Where(metric.Applies).ToList();
        if (applicable.Count == 0)
        {
            return new MetricResult(double.NaN, null, null, 0);
        }
        var value = metric.Compute(applicable);
        if (settings.Samples == 0)
        {
            return new MetricResult(value, null, null, applicable.Count);
        }
        var rng = Generator(settings);
        var stats = new List<double>(settings.Samples);
        var draw = new ExampleResult[applicable.Count];
        for (var s = 0; s < settings.Samples; s++)
        {
            for (var i = 0; i < draw.Length; i++)
            {
                draw[i] = applicable[rng.Next(applicable.Count)];
            }
            var v = metric.Compute(draw);
            if (double.IsFinite(v))
            {
                stats.Add(v);
            }
        }
        var (lo, hi) = Quantiles(stats, settings.Confidence);
        return new MetricResult(value, lo, hi, applicable.Count);
    }

    /// <summary>
    /// Paired bootstrap of candidate − baseline on the examples both runs share (matched by id): each resample draws
    /// the same ids for both, so the interval reflects the difference, not the two runs' separate noise.
    /// </summary>
    /// <returns>The observed difference, its interval, and how many shared examples it used.</returns>
    public static (double Delta, double Lower, double Upper, int Pairs) PairedDifference(
        EvalMetric metric, IReadOnlyList<ExampleResult> candidate, IReadOnlyList<ExampleResult> baseline, BootstrapSettings settings)
    {
        var baseById = new Dictionary<string, ExampleResult>(StringComparer.Ordinal);
        foreach (var b in baseline)
        {
            baseById[b.Id] = b;
        }
        var pairs = candidate.Where(c => baseById.ContainsKey(c.Id)).Select(c => (Cand: c, Base: baseById[c.Id])).ToList();
        var delta = metric.Evaluate(pairs.Select(p => p.Cand)) - metric.Evaluate(pairs.Select(p => p.Base));
        if (pairs.Count == 0 || !double.IsFinite(delta))
        {
            return (double.NaN, double.NaN, double.NaN, pairs.Count);
        }
        var rng = Generator(settings);
        var stats = new List<double>(settings.Samples);
        var cand = new ExampleResult[pairs.Count];
        var bas = new ExampleResult[pairs.Count];
        for (var s = 0; s < settings.Samples; s++)
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                var p = pairs[rng.Next(pairs.Count)];
                cand[i] = p.Cand;
                bas[i] = p.Base;
            }
            var d = metric.Evaluate(cand) - metric.Evaluate(bas);
            if (double.IsFinite(d))
            {
                stats.Add(d);
            }
        }
        var (lo, hi) = Quantiles(stats, settings.Confidence);
        return (delta, lo ?? double.NaN, hi ?? double.NaN, pairs.Count);
    }

    // System.Random with a seed is reproducible across runs and platforms; its seed is 32 bits, so fold the 64.
    private static Random Generator(BootstrapSettings settings) => new(unchecked((int)settings.Seed ^ (int)(settings.Seed >> 32)));

    /// <summary>The two-sided quantiles of a confidence level, interpolated linearly between order statistics.</summary>
    public static (double? Lower, double? Upper) Quantiles(List<double> values, double confidence)
    {
        if (values.Count == 0)
        {
            return (null, null);
        }
        values.Sort();
        return (Quantile(values, (1 - confidence) / 2), Quantile(values, (1 + confidence) / 2));
    }

    private static double Quantile(List<double> sorted, double q)
    {
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
