using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Gates;

/// <summary>A min_lift rule's <c>significant: true</c>: the paired bootstrap of candidate − baseline over the examples
/// both runs share, with the policy's bootstrap settings; significant when the lift's interval lies above 0.</summary>
internal static class SignificanceTest
{
    public static SignificanceResult Run(GatePolicy policy, GateRule rule, EvalReport candidate, EvalReport baseline)
    {
        var cand = Examples(policy, rule, candidate, "candidate");
        var bas = Examples(policy, rule, baseline, "baseline");
        var settings = policy.Bootstrap;
        var (delta, lower, upper, pairs) = Bootstrap.PairedDifference(MetricCatalog.Get(rule.MetricName), cand, bas, settings);
        if (pairs == 0)
        {
            throw GateEvaluator.Error(policy, rule,
                $"significant: the per-example results of {GateEvaluator.Describe(candidate, "candidate")} and {GateEvaluator.Describe(baseline, "baseline")} share no example id");
        }
        if (!double.IsFinite(delta) || !double.IsFinite(lower) || !double.IsFinite(upper))
        {
            throw GateEvaluator.Error(policy, rule,
                $"significant: none of the {pairs} examples both runs share carries the inputs of {rule.MetricName}, so the lift has no interval");
        }
        // In the good direction, a lower-is-better metric's interval flips: lift = −delta.
        var (liftLower, liftUpper) = rule.Sign > 0 ? (lower, upper) : (-upper, -lower);
        return new SignificanceResult(delta, lower, upper, rule.Sign * delta, liftLower, liftUpper, pairs,
            settings.Samples, settings.Seed, settings.Confidence, Significant: liftLower > 0);
    }

    private static IReadOnlyList<ExampleResult> Examples(GatePolicy policy, GateRule rule, EvalReport report, string role)
    {
        var path = report.ExamplesPath(report.Suite(rule.Suite)!);
        return File.Exists(path)
            ? ExampleFile.Read(path)
            : throw GateEvaluator.Error(policy, rule,
                $"significant: the test needs the per-example results of {GateEvaluator.Describe(report, role)}, and {path} does not exist");
    }
}
