using Pipeline.Eval.Gates;
using Pipeline.Eval.Tests.Support;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Gates;

/// <summary>`pipeline gate check` as CI runs it: a real process, its exit code, its files.</summary>
public sealed class GateCliTests : IDisposable
{
    private const string Policy = """
        policy: deploy
        bootstrap: {samples: 200, seed: 0}
        rules:
          - {name: in-domain floor, metric: in_domain/accuracy, min: 0.4}
          - {metric: in_domain/accuracy, min_lift: 0.05, significant: true}
          - {metric: ood/accuracy, max_regression: 0.03}
        """;

    private readonly string dir = Directory.CreateTempSubdirectory("pipeline-gate-cli-").FullName;

    public GateCliTests()
    {
        File.WriteAllText(P("deploy.yaml"), Policy);
        Run("base", right: 120, ood: 0.70);
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Check_PassingPair_ExitsZeroAndWritesDecisionAndReports()
    {
        Run("cand", right: 160, ood: 0.69);

        var (code, output) = await CheckAsync("--baseline", P("base"), "--out", P("gate"));

        Assert.True(code == 0, output);
        Assert.Contains("verdict: PASS", output);
        Assert.Equal(GateVerdict.Pass, GateDecision.Load(P("gate")).Verdict);
        Assert.StartsWith("## Eval gate `deploy`: **PASS**", File.ReadAllText(P("gate", "report.md")));
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(P("gate", "report.html")));
    }

    [Fact]
    public async Task Check_BlockedPair_ExitsOneAndAppendsTheMarkdownToTheSummary()
    {
        Run("cand", right: 160, ood: 0.60);
        File.WriteAllText(P("summary.md"), "## Earlier step\n\n");

        var (code, output) = await CheckAsync("--baseline", P("base"), "--summary", P("summary.md"), "--html", P("gate.html"));

        Assert.True(code == 1, output);
        Assert.Contains("FAIL ood/accuracy max_regression: ood/accuracy regressed 0.100", output);
        Assert.Contains("verdict: BLOCKED", output);
        var summary = File.ReadAllText(P("summary.md"));
        Assert.StartsWith("## Earlier step\n\n## Eval gate `deploy`: **BLOCKED**", summary);
        Assert.True(File.Exists(P("gate.html")));
        Assert.False(Directory.Exists(P("gate")), "no --out, no decision folder");
    }

    [Fact]
    public async Task Check_MalformedPolicy_ExitsTwoNamingTheFileAndLine()
    {
        Run("cand", right: 160, ood: 0.69);
        File.WriteAllText(P("bad.yaml"), "policy: bad\nrules:\n  - metric: in_domain/accuracy\n    min: 0.4\n    max: 0.9\n");

        var (code, output) = await CheckAsync("--baseline", P("base"), "--policy", P("bad.yaml"));

        Assert.True(code == 2, output);
        Assert.Contains($"pipeline: {P("bad.yaml")}:5: rules[0].max: expected exactly one of min, max, min_lift, max_regression, found min and max", output);
    }

    [Fact]
    public async Task Check_MetricMissingFromBaseline_ExitsTwoNamingTheRule()
    {
        Run("cand", right: 160, ood: 0.69);
        new TestRun("old").Examples("in_domain", TestRun.Correct("q", 200, 120), "accuracy").Save(P("old"));

        var (code, output) = await CheckAsync("--baseline", P("old"), "--out", P("gate"));

        Assert.True(code == 2, output);
        Assert.Contains($"{P("deploy.yaml")}:6: rules[2] \"ood/accuracy max_regression\": ood/accuracy is missing from the baseline report", output);
        Assert.False(File.Exists(P("gate", "decision.json")), "an undecidable gate writes no decision");
    }

    [Fact]
    public async Task Check_RelativePolicyWithoutBaseline_ExitsTwo()
    {
        Run("cand", right: 160, ood: 0.69);

        var (code, output) = await CheckAsync();

        Assert.True(code == 2, output);
        Assert.Contains("no baseline report was given", output);
    }

    private Task<(int Code, string Output)> CheckAsync(params string[] extra)
    {
        var args = new List<string> { "gate", "check", "--candidate", P("cand") };
        if (!extra.Contains("--policy"))
        {
            args.AddRange(["--policy", P("deploy.yaml")]);
        }
        args.AddRange(extra);
        return PipelineProcess.RunAsync(P($"log-{Guid.NewGuid():N}.txt"), TimeSpan.FromMinutes(1), [.. args]);
    }

    private void Run(string name, int right, double ood) => new TestRun(name)
        .Examples("in_domain", TestRun.Correct("q", 200, right), "accuracy")
        .Metric("ood/accuracy", ood, ood - 0.05, ood + 0.05, n: 150)
        .Save(P(name));

    private string P(params string[] parts) => Path.Combine([dir, .. parts]);
}
