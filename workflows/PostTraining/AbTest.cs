using System.Globalization;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workflows.PostTraining;

/// <summary>
/// The rollout's decision rule, pure and deterministic so it can run inside workflow code. Guardrails first (the
/// challenger's error rate or p95 latency over its limit rolls back at once); then, once both variants have the
/// feedback they need — or the window has closed — a two-sided two-proportion z-test on the positive-feedback rate at
/// <see cref="RolloutConfig.Confidence"/>: promote only when the challenger is significantly better. Not significant
/// keeps the champion (the burden of proof is on the challenger).
/// </summary>
public static class AbTest
{
    public static AbDecision Decide(ExperimentStats stats, RolloutConfig config, bool windowClosed)
    {
        var (a, b) = (stats.Champion, stats.Challenger);
        var (pa, pb) = (a.PositiveRate, b.PositiveRate);
        if (b.Requests >= config.GuardrailMinRequests && b.ErrorRate > config.MaxErrorRate)
        {
            return new(AbVerdict.RollBack, $"guardrail: challenger error rate {F(b.ErrorRate)} > {F(config.MaxErrorRate)} over {b.Requests} requests", pa, pb, null, null);
        }
        if (b.Requests >= config.GuardrailMinRequests && b.LatencyP95Ms > config.MaxLatencyP95Ms)
        {
            return new(AbVerdict.RollBack, $"guardrail: challenger p95 latency {b.LatencyP95Ms:0} ms > {config.MaxLatencyP95Ms:0} ms", pa, pb, null, null);
        }
        var enough = a.Feedback >= config.MinFeedbackPerVariant && b.Feedback >= config.MinFeedbackPerVariant;
        if (!enough && !windowClosed)
        {
            return new(AbVerdict.Continue, $"waiting for feedback: champion {a.Feedback}, challenger {b.Feedback} of {config.MinFeedbackPerVariant} each", pa, pb, null, null);
        }
        if (a.Feedback == 0 || b.Feedback == 0)
        {
            return new(AbVerdict.RollBack, $"window closed with no feedback for the {(a.Feedback == 0 ? "champion" : "challenger")}: nothing to test, the champion stays", pa, pb, null, null);
        }
        var (z, p) = TwoProportionZ(a.Positive, a.Feedback, b.Positive, b.Feedback);
        var alpha = 1 - config.Confidence;
        var evidence = $"positive rate challenger {F(pb)} (n {b.Feedback}) vs champion {F(pa)} (n {a.Feedback}), z {z:0.00}, p {p:0.0000} (two-sided, α {alpha:0.00})";
        var shortNote = enough ? "" : " — window closed before the sample-size target";
        return p < alpha && pb > pa ? new(AbVerdict.Promote, $"challenger significantly better: {evidence}{shortNote}", pa, pb, z, p)
            : p < alpha ? new(AbVerdict.RollBack, $"challenger significantly worse: {evidence}{shortNote}", pa, pb, z, p)
            : new(AbVerdict.RollBack, $"no significant difference: {evidence}{shortNote}; the champion stays", pa, pb, z, p);
    }

    /// <summary>Pooled two-proportion z statistic (challenger minus champion) and its two-sided p-value.</summary>
    public static (double Z, double P) TwoProportionZ(long x1, long n1, long x2, long n2)
    {
        var (p1, p2) = ((double)x1 / n1, (double)x2 / n2);
        var pooled = (double)(x1 + x2) / (n1 + n2);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0) return (0, 1);   // both all-positive or all-negative: no evidence either way
        var z = (p2 - p1) / se;
        return (z, 2 * UpperTail(Math.Abs(z)));
    }

    /// <summary>P(Z &gt; z) for a standard normal: erfc(z/√2)/2 with W. J. Cody's-style rational approximation
    /// (Numerical Recipes' erfc, fractional error &lt; 1.2e-7) — enough for a 5% test.</summary>
    public static double UpperTail(double z)
    {
        var x = z / Math.Sqrt(2);
        var t = 1 / (1 + 0.5 * Math.Abs(x));
        var erfc = t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return (x >= 0 ? erfc : 2 - erfc) / 2;
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
