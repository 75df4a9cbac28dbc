using Pipeline.Eval.Gates;
using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;
using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Gates;

public sealed class SignificanceTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Decide_CandidateBetterOnMostExamples_PassesTheSignificanceRule()
    {
        // The same 200 questions: the baseline gets the first 100 right, the candidate those and 60 more.
        var o = Lift(Policy("min_lift: 0.05, significant: true"), candidateRight: 160, baselineRight: 100, n: 200);

        Assert.True(o.Passed, o.Reason);
        Assert.True(o.Significance!.Significant);
        Assert.True(o.Significance.LiftLower > 0);
        Assert.Equal(200, o.Significance.Pairs);
        Assert.Contains("lies above 0", o.Reason);
    }

    [Fact]
    public void Decide_TinyLiftOnFewExamples_FailsSignificanceThoughTheLiftHolds()
    {
        // 10 questions, one more right: a lift of 0.1 ≥ 0.05, but one example is no evidence.
        var o = Lift(Policy("min_lift: 0.05, significant: true"), candidateRight: 6, baselineRight: 5, n: 10);

        Assert.True(o.Margin >= 0, "the min_lift itself holds");
        Assert.False(o.Significance!.Significant);
        Assert.False(o.Passed);
        Assert.Contains("not significant", o.Reason);
    }

    [Fact]
    public void Decide_Significance_RecordsThePairedBootstrapOfBothRuns()
    {
        var policy = Policy("min_lift: 0, significant: true", "bootstrap: {samples: 300, seed: 11, confidence: 0.9}\n");
        var o = Lift(policy, candidateRight: 30, baselineRight: 24, n: 40);

        var (delta, lower, upper, pairs) = Bootstrap.PairedDifference(MetricCatalog.Get("accuracy"),
            ExampleFile.Read(dir.P("cand", "examples", "s.jsonl")), ExampleFile.Read(dir.P("base", "examples", "s.jsonl")), policy.Bootstrap);
        Assert.Equal(new SignificanceResult(delta, lower, upper, delta, lower, upper, pairs, 300, 11, 0.9, lower > 0), o.Significance);
    }

    [Fact]
    public void Decide_SignificanceOnLowerIsBetterMetric_FlipsTheIntervalIntoALift()
    {
        var policy = Policies.Rules(dir, "{metric: s/perplexity, min_lift: 0, significant: true}");
        var candidate = new TestRun("cand").Examples("s", Texts(nll: i => 2.0 + 0.1 * (i % 3)), "perplexity").Save(dir.P("cand"));
        var baseline = new TestRun("base").Examples("s", Texts(nll: i => 2.5 + 0.1 * (i % 5)), "perplexity").Save(dir.P("base"));

        var s = GateEvaluator.Decide(policy, candidate, baseline).Rules[0].Significance!;

        Assert.True(s.Delta < 0, "perplexity fell");
        Assert.Equal((-s.Delta, -s.Upper, -s.Lower), (s.Lift, s.LiftLower, s.LiftUpper));
        Assert.True(s.Significant);
    }

    private GatePolicy Policy(string threshold, string header = "") =>
        GatePolicy.Load(Policies.Write(dir, $"policy: sig\n{header}rules:\n  - {{metric: s/accuracy, {threshold}}}\n"));

    private RuleOutcome Lift(GatePolicy policy, int candidateRight, int baselineRight, int n)
    {
        var candidate = new TestRun("cand").Examples("s", TestRun.Correct("q", n, candidateRight), "accuracy").Save(dir.P("cand"));
        var baseline = new TestRun("base").Examples("s", TestRun.Correct("q", n, baselineRight), "accuracy").Save(dir.P("base"));
        return Assert.Single(GateEvaluator.Decide(policy, candidate, baseline).Rules);
    }

    private static IEnumerable<ExampleResult> Texts(Func<int, double> nll) => Enumerable.Range(0, 30).Select(i => new ExampleResult
    {
        Id = $"t{i}",
        Scores = new Dictionary<string, double> { ["nll"] = nll(i) * 20, ["tokens"] = 20 },
    });
}
