using Pipeline.Eval.Gates;
using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Gates;

public sealed class GateEvaluatorTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Decide_MinExactlyAtFloor_Passes()
    {
        var o = Judge("{metric: s/accuracy, min: 0.4}", 0.4);

        Assert.True(o.Passed, o.Reason);
        Assert.Equal(0, o.Margin, 12);
    }

    [Fact]
    public void Decide_MinJustBelowFloor_Fails()
    {
        var o = Judge("{metric: s/accuracy, min: 0.4}", 0.399);

        Assert.False(o.Passed);
        Assert.Equal(-0.001, o.Margin, 12);
    }

    [Fact]
    public void Decide_MaxExactlyAtCeiling_Passes() =>
        Assert.True(Judge("{metric: s/contamination_rate, max: 0}", 0).Passed);

    [Fact]
    public void Decide_MaxAboveCeiling_Fails() =>
        Assert.False(Judge("{metric: s/contamination_rate, max: 0}", 0.01).Passed);

    [Fact]
    public void Decide_MinLiftZeroWithEqualValues_Passes() =>
        Assert.True(Judge("{metric: s/accuracy, min_lift: 0}", 0.7, 0.7).Passed);

    [Fact]
    public void Decide_MinLiftPositiveWithEqualValues_Fails()
    {
        var o = Judge("{metric: s/accuracy, min_lift: 0.05}", 0.7, 0.7);

        Assert.False(o.Passed);
        Assert.Equal(-0.05, o.Margin, 12);
    }

    [Fact]
    public void Decide_MaxRegressionZeroWithEqualValues_Passes() =>
        Assert.True(Judge("{metric: s/accuracy, max_regression: 0}", 0.7, 0.7).Passed);

    [Fact]
    public void Decide_MaxRegressionZeroWithAnyDrop_Fails() =>
        Assert.False(Judge("{metric: s/accuracy, max_regression: 0}", 0.699, 0.7).Passed);

    [Fact]
    public void Decide_LiftThatOnlyMissesInBinary_PassesWithinTolerance()
    {
        Assert.True(0.30 - 0.25 < 0.05); // what an exact comparison would get wrong

        var o = Judge("{metric: s/accuracy, min_lift: 0.05}", 0.30, 0.25);

        Assert.True(o.Passed, o.Reason);
        Assert.True(Math.Abs(o.Margin) < GateEvaluator.Tolerance);
    }

    [Fact]
    public void Decide_RegressionThatOnlyExceedsInBinary_PassesWithinTolerance()
    {
        Assert.True(0.90 - 0.87 > 0.03);

        Assert.True(Judge("{metric: s/accuracy, max_regression: 0.03}", 0.87, 0.90).Passed);
    }

    [Theory]
    [InlineData("{metric: s/ece, min_lift: 0.04}", 0.05, 0.10, true, 0.01)]      // ece fell by 0.05: a lift of 0.05
    [InlineData("{metric: s/ece, min_lift: 0}", 0.12, 0.10, false, -0.02)]       // ece rose: a negative lift
    [InlineData("{metric: s/perplexity, min_lift: 0.5}", 12.0, 13.0, true, 0.5)]
    [InlineData("{metric: s/perplexity, min_lift: 0}", 13.0, 12.0, false, -1.0)]
    public void Decide_LowerIsBetterLift_CountsADecreaseAsLift(string rule, double candidate, double baseline, bool passed, double margin)
    {
        var o = Judge(rule, candidate, baseline);

        Assert.Equal(passed, o.Passed);
        Assert.Equal(margin, o.Margin, 12);
    }

    [Theory]
    [InlineData("{metric: s/ece, max_regression: 0.05}", 0.09, 0.05, true, 0.01)]
    [InlineData("{metric: s/ece, max_regression: 0.05}", 0.11, 0.05, false, -0.01)]
    [InlineData("{metric: s/ece, max_regression: 0}", 0.04, 0.05, true, 0.01)]           // better calibrated: no regression
    [InlineData("{metric: s/perplexity, max_regression: 0.5}", 12.4, 12.0, true, 0.1)]
    [InlineData("{metric: s/perplexity, max_regression: 0.5}", 12.6, 12.0, false, -0.1)]
    public void Decide_LowerIsBetterRegression_CountsAnIncreaseAsRegression(string rule, double candidate, double baseline, bool passed, double margin)
    {
        var o = Judge(rule, candidate, baseline);

        Assert.Equal(passed, o.Passed);
        Assert.Equal(margin, o.Margin, 12);
    }

    [Theory]
    [InlineData("{metric: s/accuracy, min: 0.4}", 0.858, null, 0.458)]                  // candidate − min
    [InlineData("{metric: s/accuracy, max: 0.9}", 0.858, null, 0.042)]                  // max − candidate
    [InlineData("{metric: s/accuracy, min_lift: 0.05}", 0.858, 0.778, 0.03)]            // (c − b) − lift
    [InlineData("{metric: s/accuracy, max_regression: 0.03}", 0.69, 0.70, 0.02)]        // allowed − (b − c)
    [InlineData("{metric: s/accuracy, max_regression: 0.03}", 0.75, 0.70, 0.08)]        // an improvement adds to the margin
    public void Decide_Margin_FollowsTheRuleKindsFormula(string rule, double candidate, double? baseline, double margin) =>
        Assert.Equal(margin, Judge(rule, candidate, baseline).Margin, 12);

    [Fact]
    public void Decide_NeutralMetricWithStatedDirection_UsesIt()
    {
        var o = Judge("{metric: s/mean_response_length, direction: lower, max_regression: 10}", 115, 100);

        Assert.False(o.Passed);
        Assert.Equal(-5, o.Margin, 12);
    }

    [Fact]
    public void Decide_SomeRulesFail_BlocksListingThemAndTheirAxes()
    {
        var policy = Policies.Rules(dir,
            "{metric: in_domain/accuracy, min: 0.4}",
            "{metric: ood/accuracy, max_regression: 0.03}",
            "{name: golden floor, metric: ood/exact_match, axis: regression, min: 0.9}",
            "{metric: refusal/refusal_rate, max_regression: 0.05}");
        var candidate = new TestRun("cand").Metric("in_domain/accuracy", 0.8).Metric("ood/accuracy", 0.6).Metric("ood/exact_match", 0.95)
            .Metric("refusal/refusal_rate", 0.9).Save(dir.P("cand"));
        var baseline = new TestRun("base").Metric("in_domain/accuracy", 0.7).Metric("ood/accuracy", 0.7)
            .Metric("refusal/refusal_rate", 0.9).Save(dir.P("base"));

        var d = GateEvaluator.Decide(policy, candidate, baseline);

        Assert.Equal(GateVerdict.Blocked, d.Verdict);
        Assert.Equal(["ood/accuracy max_regression"], d.FailedRules);
        Assert.Equal(["in_domain", "ood", "regression", "refusal"], d.Rules.Select(r => r.Axis));
        Assert.Equal(new Dictionary<string, bool> { ["in_domain"] = true, ["ood"] = false, ["regression"] = true, ["refusal"] = true }, d.Axes);
        Assert.Null(d.Rules[2].Baseline); // an absolute rule shows the baseline only when it has the metric
    }

    [Fact]
    public void Decide_EveryRuleHolds_Passes()
    {
        var d = Decide(["{metric: s/accuracy, min: 0.4}", "{metric: s/accuracy, min_lift: 0.05}"], 0.8, 0.7);

        Assert.Equal(GateVerdict.Pass, d.Verdict);
        Assert.Empty(d.FailedRules);
    }

    [Theory]
    [InlineData("{metric: s/accuracy, min: 0.4}", 0.858, null, "s/accuracy 0.858 ≥ floor 0.400 (margin +0.458)")]
    [InlineData("{metric: s/accuracy, min: 0.4}", 0.35, null, "s/accuracy 0.350 < floor 0.400 (margin -0.050)")]
    [InlineData("{metric: s/contamination_rate, max: 0}", 0.02, null, "s/contamination_rate 0.020 > ceiling 0.000 (margin -0.020)")]
    [InlineData("{metric: s/accuracy, min_lift: 0.05}", 0.858, 0.778, "s/accuracy lift +0.080 (0.778 → 0.858) ≥ required +0.050 (margin +0.030)")]
    [InlineData("{metric: s/accuracy, max_regression: 0.03}", 0.65, 0.70, "s/accuracy regressed 0.050 (0.700 → 0.650), beyond allowed regression 0.030 (margin -0.020)")]
    [InlineData("{metric: s/ece, max_regression: 0.03}", 0.04, 0.06, "s/ece improved 0.020 (0.060 → 0.040, lower is better), within allowed regression 0.030 (margin +0.050)")]
    public void Decide_Reason_SaysWhyInOneLine(string rule, double candidate, double? baseline, string reason) =>
        Assert.Equal(reason, Judge(rule, candidate, baseline).Reason);

    private RuleOutcome Judge(string rule, double candidate, double? baseline = null) =>
        Assert.Single(Decide([rule], candidate, baseline).Rules);

    /// <summary>The rules over one metric (the first rule's), the candidate and baseline holding the given values.</summary>
    private GateDecision Decide(string[] rules, double candidate, double? baseline)
    {
        var policy = Policies.Rules(dir, rules);
        var metric = policy.Rules[0].Metric;
        var cand = new TestRun("cand").Metric(metric, candidate).Save(dir.P("cand"));
        var bas = baseline is { } b ? new TestRun("base").Metric(metric, b).Save(dir.P("base")) : null;
        return GateEvaluator.Decide(policy, cand, bas);
    }
}
