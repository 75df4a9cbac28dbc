using Pipeline.Eval.Gates;
using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Gates;

/// <summary>A gate that cannot judge a rule must say so (exit 2 in the CLI), never pass.</summary>
public sealed class GateErrorTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Decide_MetricMissingFromCandidate_Throws()
    {
        var policy = Policies.Rules(dir, "{metric: s/contamination_rate, max: 0}");
        var candidate = new TestRun("cand").Metric("s/accuracy", 0.9).Save(dir.P("cand"));

        var e = Assert.Throws<GateException>(() => GateEvaluator.Decide(policy, candidate, null));

        Assert.Equal($"{policy.Path}:3: rules[0] \"s/contamination_rate max\": s/contamination_rate is missing from the candidate report "
            + $"({dir.P("cand", "eval.json")}): suite \"s\" has no metric \"contamination_rate\" (it has accuracy)", e.Message);
    }

    [Fact]
    public void Decide_SuiteMissingFromCandidate_Throws()
    {
        var policy = Policies.Rules(dir, "{metric: s/accuracy, min: 0}", "{name: ood floor, metric: ood/accuracy, min: 0}");
        var candidate = new TestRun("cand").Metric("s/accuracy", 0.9).Save(dir.P("cand"));

        var e = Assert.Throws<GateException>(() => GateEvaluator.Decide(policy, candidate, null));

        Assert.StartsWith($"{policy.Path}:4: rules[1] \"ood floor\": ood/accuracy is missing from the candidate report", e.Message);
        Assert.EndsWith("no suite \"ood\" (it has s)", e.Message);
    }

    [Fact]
    public void Decide_MetricMissingFromBaseline_Throws()
    {
        var policy = Policies.Rules(dir, "{metric: s/accuracy, max_regression: 0.1}");
        var candidate = new TestRun("cand").Metric("s/accuracy", 0.9).Save(dir.P("cand"));
        var baseline = new TestRun("base").Metric("s/exact_match", 0.9).Save(dir.P("base"));

        var e = Assert.Throws<GateException>(() => GateEvaluator.Decide(policy, candidate, baseline));

        Assert.StartsWith($"{policy.Path}:3: rules[0] \"s/accuracy max_regression\": s/accuracy is missing from the baseline report ({dir.P("base", "eval.json")})", e.Message);
    }

    [Fact]
    public void Decide_MetricWithoutValue_Throws()
    {
        var policy = Policies.Rules(dir, "{metric: refusal/refusal_rate, min: 0.9}");
        var candidate = new TestRun("cand").Metric("refusal/refusal_rate", double.NaN, n: 0).Save(dir.P("cand"));

        var e = Assert.Throws<GateException>(() => GateEvaluator.Decide(policy, candidate, null));

        Assert.Contains("refusal/refusal_rate has no value in the candidate report", e.Message);
    }

    [Fact]
    public void Decide_RelativeRuleWithoutBaseline_Throws()
    {
        var policy = Policies.Rules(dir, "{metric: s/accuracy, min: 0.5}", "{metric: s/accuracy, min_lift: 0}");
        var candidate = new TestRun("cand").Metric("s/accuracy", 0.9).Save(dir.P("cand"));

        var e = Assert.Throws<GateException>(() => GateEvaluator.Decide(policy, candidate, null));

        Assert.Equal($"{policy.Path}:4: rules[1] \"s/accuracy min_lift\": min_lift compares s/accuracy with a baseline, and no baseline report was given", e.Message);
    }

    [Fact]
    public void Decide_AbsoluteRulesWithoutBaseline_Decides()
    {
        var policy = Policies.Rules(dir, "{metric: s/accuracy, min: 0.5}");
        var candidate = new TestRun("cand").Metric("s/accuracy", 0.9).Save(dir.P("cand"));

        var d = GateEvaluator.Decide(policy, candidate, null);

        Assert.True(d.Passed);
        Assert.Null(d.Baseline);
    }

    [Fact]
    public void Decide_SignificanceWithoutExampleFiles_Throws()
    {
        var policy = Policies.Rules(dir, "{metric: s/accuracy, min_lift: 0, significant: true}");
        var candidate = new TestRun("cand").Examples("s", TestRun.Correct("q", 20, 15), "accuracy").Save(dir.P("cand"));
        var baseline = new TestRun("base").Examples("s", TestRun.Correct("q", 20, 10), "accuracy").Save(dir.P("base"));
        File.Delete(dir.P("base", "examples", "s.jsonl"));

        var e = Assert.Throws<GateException>(() => GateEvaluator.Decide(policy, candidate, baseline));

        Assert.StartsWith($"{policy.Path}:3: rules[0] \"s/accuracy min_lift\": significant: the test needs the per-example results of the baseline report", e.Message);
        Assert.EndsWith($"{dir.P("base", "examples", "s.jsonl")} does not exist", e.Message);
    }

    [Fact]
    public void Decide_SignificanceWithNoSharedExampleIds_Throws()
    {
        var policy = Policies.Rules(dir, "{metric: s/accuracy, min_lift: 0, significant: true}");
        var candidate = new TestRun("cand").Examples("s", TestRun.Correct("new", 20, 15), "accuracy").Save(dir.P("cand"));
        var baseline = new TestRun("base").Examples("s", TestRun.Correct("old", 20, 10), "accuracy").Save(dir.P("base"));

        var e = Assert.Throws<GateException>(() => GateEvaluator.Decide(policy, candidate, baseline));

        Assert.Contains("share no example id", e.Message);
    }
}
