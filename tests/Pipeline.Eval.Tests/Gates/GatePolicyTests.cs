using System.Security.Cryptography;
using Pipeline.Eval.Gates;
using Pipeline.Eval.Metrics;
using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Gates;

public sealed class GatePolicyTests : IDisposable
{
    private const string Example = """
        policy: post-sft
        description: SFT must beat the base model in-domain without losing OOD, safety or calibration
        bootstrap: {samples: 500, seed: 7, confidence: 0.9}
        rules:
          - name: in-domain floor
            metric: in_domain/accuracy
            min: 0.40
          - metric: in_domain/accuracy
            min_lift: 0.05
            significant: true
          - metric: ood/accuracy
            max_regression: 0.03
          - metric: calibration/ece
            max_regression: 0.05
          - metric: in_domain/contamination_rate
            max: 0
          - metric: golden/accuracy
            axis: regression
            min: 0.9
          - metric: chat/mean_response_length
            direction: lower
            max_regression: 20
        """;

    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Load_ExamplePolicy_ReadsEveryRule()
    {
        var policy = GatePolicy.Load(Policies.Write(dir, Example));

        Assert.Equal("post-sft", policy.Name);
        Assert.Equal(new(500, 7, 0.9), policy.Bootstrap);
        Assert.Equal(
            [
                ("in-domain floor", RuleKind.Min, 0.40, false, null, MetricDirection.HigherIsBetter),
                ("in_domain/accuracy min_lift", RuleKind.MinLift, 0.05, true, null, MetricDirection.HigherIsBetter),
                ("ood/accuracy max_regression", RuleKind.MaxRegression, 0.03, false, null, MetricDirection.HigherIsBetter),
                ("calibration/ece max_regression", RuleKind.MaxRegression, 0.05, false, null, MetricDirection.LowerIsBetter),
                ("in_domain/contamination_rate max", RuleKind.Max, 0, false, null, MetricDirection.LowerIsBetter),
                ("golden/accuracy min", RuleKind.Min, 0.9, false, "regression", MetricDirection.HigherIsBetter),
                ("chat/mean_response_length max_regression", RuleKind.MaxRegression, 20, false, null, MetricDirection.LowerIsBetter),
            ],
            policy.Rules.Select(r => (r.Name, r.Kind, r.Threshold, r.Significant, r.Axis, r.Direction)));
        Assert.Equal([5, 8, 11, 13, 15, 17, 20], policy.Rules.Select(r => r.Line));
        Assert.True(policy.HasRelativeRules);
    }

    [Fact]
    public void Load_File_RecordsPathAndSha256OfItsBytes()
    {
        var path = Policies.Write(dir, Example);

        var policy = GatePolicy.Load(path);

        Assert.Equal(path, policy.Path);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), policy.Sha256);
    }

    [Fact]
    public void Load_NoBootstrapBlock_UsesDefaults()
    {
        var policy = Policies.Rules(dir, "{metric: a/accuracy, min: 0.5}");

        Assert.Equal(GatePolicy.DefaultBootstrap, policy.Bootstrap);
        Assert.False(policy.HasRelativeRules);
    }

    [Theory]
    [InlineData("policy: p\nrules: [a\n", 3, "not valid YAML")]
    [InlineData("policy: p\nrulez: []\n", 2, "rulez: unknown field")]
    [InlineData("policy: p\nrules:\n  - metric: a/accuracy\n    min: 0.4\n    maxx: 1\n", 5, "rules[0].maxx: unknown field")]
    [InlineData("policy: p\nrules:\n  - metric: a/accuracy\n    min: 0.4\n    min_lift: 0.1\n", 5, "rules[0].min_lift: expected exactly one of min, max, min_lift, max_regression, found min and min_lift")]
    [InlineData("policy: p\nrules:\n  - {metric: a/accuracy, min: 0.1}\n  - metric: b/accuracy\n", 4, "rules[1].metric: expected exactly one of min, max, min_lift, max_regression, found none")]
    [InlineData("policy: p\nrules:\n  - metric: a/acuracy\n    min: 0.4\n", 3, "rules[0].metric: unknown metric \"acuracy\"")]
    [InlineData("policy: p\nrules:\n  - metric: accuracy\n    min: 0.4\n", 3, "rules[0].metric: expected SUITE/METRIC")]
    [InlineData("policy: p\nrules:\n  - metric: a/accuracy\n    min_lift: -0.1\n", 4, "rules[0].min_lift: expected a number ≥ 0, found -0.1")]
    [InlineData("policy: p\nrules:\n  - metric: a/accuracy\n    max_regression: -1\n", 4, "rules[0].max_regression: expected a number ≥ 0")]
    [InlineData("policy: p\nrules:\n  - metric: a/accuracy\n    min: high\n", 4, "rules[0].min: expected a number, found \"high\"")]
    [InlineData("policy: p\nrules:\n  - metric: a/accuracy\n    max: 0.1\n    significant: true\n", 5, "rules[0].significant: only applies to min_lift rules")]
    [InlineData("policy: p\nrules:\n  - metric: a/accuracy\n    min_lift: 0\n    significant: maybe\n", 5, "rules[0].significant: expected true or false")]
    [InlineData("policy: p\nrules:\n  - metric: a/mean_response_length\n    min_lift: 1\n", 3, "rules[0].direction: required for min_lift on mean_response_length")]
    [InlineData("policy: p\nrules:\n  - metric: a/ece\n    direction: higher\n    max: 0.1\n", 4, "rules[0].direction: ece is lower-is-better")]
    [InlineData("policy: p\nrules:\n  - metric: a/accuracy\n    direction: up\n    min: 0.1\n", 4, "rules[0].direction: expected higher or lower")]
    [InlineData("policy: p\nrules:\n  - {metric: a/accuracy, min: 0.1}\n  - {metric: a/accuracy, min: 0.2}\n", 4, "rules[1].name: \"a/accuracy min\" is already the name of rules[0]")]
    [InlineData("rules:\n  - {metric: a/accuracy, min: 0.1}\n", 1, "policy: required field is missing")]
    [InlineData("policy: p\nrules: []\n", 2, "rules: expected at least one rule")]
    [InlineData("policy: p\nbootstrap: {samples: 0}\nrules:\n  - {metric: a/accuracy, min: 0.1}\n", 2, "bootstrap.samples: expected an integer ≥ 1")]
    [InlineData("policy: p\nbootstrap: {confidence: 1.5}\nrules:\n  - {metric: a/accuracy, min: 0.1}\n", 2, "bootstrap.confidence: expected a number between 0 and 1")]
    public void Load_MalformedPolicy_ThrowsNamingFileLineAndField(string yaml, int line, string message)
    {
        var path = Policies.Write(dir, yaml);

        var e = Assert.Throws<EvalFormatException>(() => GatePolicy.Load(path));

        Assert.StartsWith($"{path}:{line}: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingIt()
    {
        var e = Assert.Throws<EvalFormatException>(() => GatePolicy.Load(dir.P("nope.yaml")));

        Assert.StartsWith(dir.P("nope.yaml") + ": ", e.Message);
    }
}
