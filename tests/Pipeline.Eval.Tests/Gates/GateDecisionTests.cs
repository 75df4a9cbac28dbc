using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pipeline.Eval.Gates;
using Pipeline.Eval.Results;
using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Gates;

public sealed class GateDecisionTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Save_ThenLoad_RoundTripsEveryField()
    {
        var decision = Decide();
        var path = dir.P("gate", GateDecision.FileName);

        decision.Save(path);
        var back = GateDecision.Load(dir.P("gate"));

        Assert.Equal(decision.ToJson(), back.ToJson());
        Assert.Equal(decision.Rules[1].Significance, back.Rules[1].Significance);
        Assert.Equal(decision.Candidate, back.Candidate);
        Assert.Equal(decision.DecidedAt, back.DecidedAt);
    }

    [Fact]
    public void Decide_RecordsPolicyRunsAndTimeForTheAudit()
    {
        var d = Decide();

        Assert.Equal(At, d.DecidedAt);
        Assert.Equal(("deploy", dir.P("policy.yaml")), (d.Policy.Name, d.Policy.Path));
        Assert.Equal(Sha(dir.P("policy.yaml")), d.Policy.Sha256);
        Assert.Equal(new RunIdentity
        {
            ReportPath = dir.P("cand", "eval.json"),
            ReportSha256 = Sha(dir.P("cand", "eval.json")),
            Model = "base-v1",
            Adapter = "sft-7",
            ModelSha256 = "abc123",
            Dataset = new DatasetRef("arith", "v3", "d00d"),
            CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        }, d.Candidate);
        Assert.Equal("base-v1", d.Baseline!.Model);
    }

    [Fact]
    public void ToJson_WritesSnakeCaseNamesAndEnumsAsPolicyWords()
    {
        var json = JsonNode.Parse(Decide().ToJson())!;

        Assert.Equal("pipeline.gate/v1", (string?)json["schema"]);
        Assert.Equal("blocked", (string?)json["verdict"]);
        Assert.Equal("min_lift", (string?)json["rules"]![1]!["kind"]);
        Assert.Equal("higher_is_better", (string?)json["rules"]![1]!["direction"]);
        Assert.Equal(0.95, (double?)json["rules"]![1]!["significance"]!["confidence"]);
        Assert.Equal(["ood/accuracy max_regression"], json["failed_rules"]!.AsArray().Select(n => (string?)n));
        Assert.False((bool?)json["axes"]!["ood"]);
        Assert.Null(json["passed"]);
    }

    [Fact]
    public void Load_OtherSchema_Throws()
    {
        File.WriteAllText(dir.P("decision.json"), """{"schema": "pipeline.gate/v0"}""");

        var e = Assert.Throws<EvalFormatException>(() => GateDecision.Load(dir.P("decision.json")));

        Assert.StartsWith(dir.P("decision.json") + ": ", e.Message);
    }

    private GateDecision Decide()
    {
        var policy = GatePolicy.Load(Policies.Write(dir, """
            policy: deploy
            rules:
              - {metric: in_domain/accuracy, min: 0.4}
              - {metric: in_domain/accuracy, min_lift: 0.05, significant: true}
              - {metric: ood/accuracy, max_regression: 0.03}
            """));
        var candidate = new TestRun("base-v1") { Adapter = "sft-7", ModelSha256 = "abc123", Dataset = new("arith", "v3", "d00d") }
            .Examples("in_domain", TestRun.Correct("q", 100, 80), "accuracy")
            .Metric("ood/accuracy", 0.6, 0.5, 0.7)
            .Save(dir.P("cand"));
        var baseline = new TestRun("base-v1")
            .Examples("in_domain", TestRun.Correct("q", 100, 60), "accuracy")
            .Metric("ood/accuracy", 0.7, 0.6, 0.8)
            .Save(dir.P("base"));
        return GateEvaluator.Decide(policy, candidate, baseline, At);
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
