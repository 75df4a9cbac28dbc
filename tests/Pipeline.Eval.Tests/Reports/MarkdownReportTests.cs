using Pipeline.Eval.Gates;
using Pipeline.Eval.Reports;
using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Reports;

public sealed class MarkdownReportTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Gate_Blocked_HasTheVerdictEveryRuleAndTheFailedReason()
    {
        var s = GateScenario.Build(dir);

        var md = MarkdownReport.Gate(s.Decision, s.Candidate, s.Baseline);

        Assert.StartsWith("## Eval gate `deploy`: **BLOCKED**\n", md);
        Assert.Contains("| Rule | Axis | Baseline | Candidate | Δ | Threshold | Margin | Result |", md);
        Assert.All(s.Decision.Rules, r => Assert.Contains($"| {r.Name} | {r.Axis} |", md));
        Assert.Contains("### Failed rules\n\n- **ood/accuracy max_regression** (ood): ood/accuracy regressed 0.120 (0.700 → 0.580), beyond allowed regression 0.030 (margin -0.090)\n", md);
        Assert.Contains("| ood/accuracy max_regression | ood | 0.700 [0.650, 0.750] | 0.580 [0.530, 0.630] | -0.120 | regression ≤ 0.030 | -0.090 | **FAIL** |", md);
    }

    [Fact]
    public void Gate_Passed_SaysPassAndHasNoFailedRules()
    {
        var s = GateScenario.Build(dir, oodRegresses: false);

        var md = MarkdownReport.Gate(s.Decision, s.Candidate, s.Baseline);

        Assert.StartsWith("## Eval gate `deploy`: **PASS**\n\nAll 6 rules passed", md);
        Assert.DoesNotContain("Failed rules", md);
    }

    [Fact]
    public void Gate_Suites_GetAMetricsTableWithBothRunsIntervals()
    {
        var s = GateScenario.Build(dir);

        var md = MarkdownReport.Gate(s.Decision, s.Candidate, s.Baseline);

        Assert.All(s.Candidate.Suites, suite => Assert.Contains($"#### `{suite.Name}` (axis {suite.Axis}, ", md));
        Assert.Contains("| Metric | Better | Baseline [95% CI] | Candidate [95% CI] | Δ | n |", md);
        Assert.Contains("| `ece` | lower | 0.060 [0.040, 0.090] | 0.080 [0.060, 0.110] | +0.020 | 200 |", md);
    }

    [Fact]
    public void Gate_PipeAndMarkupInARuleName_StayInsideTheirCell()
    {
        var policy = Policies.Rules(dir, "{name: 'floor | <b>strict</b>', metric: s/accuracy, min: 0.4}");
        var candidate = new TestRun("m").Metric("s/accuracy", 0.5).Save(dir.P("cand"));

        var md = MarkdownReport.Gate(GateEvaluator.Decide(policy, candidate, null), candidate, null);

        var row = md.Split('\n').Single(l => l.StartsWith("| floor", StringComparison.Ordinal));
        // Rule, axis, baseline (none), candidate, Δ (none), threshold, margin, result: eight cells, the name's "|" escaped.
        Assert.Equal(@"| floor \| &lt;b&gt;strict&lt;/b&gt; | s |  | 0.500 |  | ≥ 0.400 | +0.100 | PASS |", row);
    }

    [Fact]
    public void Run_SingleReport_ListsEverySuitesMetrics()
    {
        var s = GateScenario.Build(dir);

        var md = MarkdownReport.Run(s.Candidate);

        Assert.StartsWith("## Eval report: `base-v1 + sft-7`\n", md);
        Assert.Contains("| Metric | Better | Value [95% CI] | n |", md);
        Assert.Contains("| `refusal_rate` | higher | 0.920 [0.860, 0.970] | 80 |", md);
        Assert.DoesNotContain("Baseline", md);
    }
}
