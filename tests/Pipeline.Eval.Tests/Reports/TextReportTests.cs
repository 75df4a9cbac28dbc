using Pipeline.Eval.Reports;
using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Reports;

public sealed class TextReportTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Gate_Blocked_TablesEveryRuleAlignedAndEndsWithTheVerdict()
    {
        var s = GateScenario.Build(dir);

        var lines = TextReport.Gate(s.Decision).TrimEnd('\n').Split('\n');

        Assert.Equal("Eval gate deploy: BLOCKED (1 of 6 rules failed)", lines[0]);
        var header = Array.FindIndex(lines, l => l.StartsWith("RESULT", StringComparison.Ordinal));
        var ruleColumn = lines[header].IndexOf("RULE", StringComparison.Ordinal);
        var rows = lines[(header + 2)..(header + 2 + s.Decision.Rules.Count)];
        Assert.All(rows.Zip(s.Decision.Rules), p =>
        {
            Assert.StartsWith(p.Second.Passed ? "PASS" : "FAIL", p.First);
            Assert.Equal(ruleColumn, p.First.IndexOf(p.Second.Name, StringComparison.Ordinal));
        });
        Assert.Contains("FAIL ood/accuracy max_regression: ood/accuracy regressed 0.120", string.Join('\n', lines));
        Assert.Equal("verdict: BLOCKED", lines[^1]);
    }

    [Fact]
    public void Gate_Passed_EndsWithPass()
    {
        var s = GateScenario.Build(dir, oodRegresses: false);

        var text = TextReport.Gate(s.Decision);

        Assert.EndsWith("verdict: PASS\n", text);
        Assert.DoesNotContain("FAIL", text);
    }
}
