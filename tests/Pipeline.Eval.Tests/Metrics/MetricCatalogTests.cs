using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;
using static Pipeline.Eval.Tests.Metrics.Examples;

namespace Pipeline.Eval.Tests.Metrics;

public sealed class MetricCatalogTests
{
    /// <summary>A generation suite mixing the three behaviors. Per behavior (correct / refused / abstained / tokens):
    /// answer: a1 1/0/0/10, a2 0/1/0/4, a3 0/0/1/6, a4 1/0/0/8; refuse: r1 1/1/0/7, r2 0/0/0/5, r3 1/1/0/9;
    /// abstain: u1 1/0/1/3, u2 0/0/0/12.</summary>
    private static readonly ExampleResult[] Generation =
    [
        Gen("a1", "answer", 1, 0, 0, 10), Gen("a2", "answer", 0, 1, 0, 4), Gen("a3", "answer", 0, 0, 1, 6), Gen("a4", "answer", 1, 0, 0, 8),
        Gen("r1", "refuse", 1, 1, 0, 7), Gen("r2", "refuse", 0, 0, 0, 5), Gen("r3", "refuse", 1, 1, 0, 9),
        Gen("u1", "abstain", 1, 0, 1, 3), Gen("u2", "abstain", 0, 0, 0, 12),
    ];

    public static TheoryData<string> MetricNames => [.. MetricCatalog.Names];

    [Theory]
    [InlineData("accuracy", 5.0 / 9)] // correct on a1 a4 r1 r3 u1 of all 9
    [InlineData("refusal_rate", 2.0 / 3)] // refused r1 r3 of the 3 refuse rows
    [InlineData("over_refusal_rate", 1.0 / 4)] // refused a2 of the 4 answer rows; r1 r3 do not count
    [InlineData("abstention_rate", 1.0 / 2)] // abstained u1 of the 2 abstain rows
    [InlineData("false_abstention_rate", 1.0 / 4)] // abstained a3 of the 4 answer rows; u1 does not count
    [InlineData("mean_response_length", 64.0 / 9)] // 10+4+6+8+7+5+9+3+12 = 64 tokens over 9 responses
    public void Evaluate_GenerationSuite_MatchesHandCount(string metric, double expected)
    {
        Assert.Equal(expected, MetricCatalog.Get(metric).Evaluate(Generation), 12);
    }

    [Fact]
    public void Evaluate_ExactMatch_IsTheMeanOverExamplesCarryingIt()
    {
        var examples = new[]
        {
            Of("x1", "answer", ("exact_match", 1)), Of("x2", "answer", ("exact_match", 1)),
            Of("x3", "answer", ("exact_match", 0)), Of("x4", "answer", ("correct", 0)),
        };

        Assert.Equal(2.0 / 3, MetricCatalog.Get("exact_match").Evaluate(examples), 12);
    }

    [Fact]
    public void Evaluate_Perplexity_IsExpOfSummedNllOverSummedTokens()
    {
        // p1: nll 3 over 1 token, p2: nll 3 over 5 tokens → exp(6 / 6) = e. A mean of per-text mean nll would give
        // exp((3 + 0.6) / 2) = exp(1.8); p3 has no tokens and is left out.
        var examples = new[]
        {
            Of("p1", null, ("nll", 3), ("tokens", 1)), Of("p2", null, ("nll", 3), ("tokens", 5)), Of("p3", null, ("nll", 9), ("tokens", 0)),
        };

        Assert.Equal(Math.E, MetricCatalog.Get("perplexity").Evaluate(examples), 12);
    }

    [Fact]
    public void Evaluate_PreferenceAccuracy_IsTheShareOfPairsPreferred()
    {
        var examples = new[] { Of("q1", null, ("preferred", 1)), Of("q2", null, ("preferred", 0)), Of("q3", null, ("preferred", 1)), Of("q4", null, ("preferred", 1)) };

        Assert.Equal(0.75, MetricCatalog.Get("preference_accuracy").Evaluate(examples), 12);
    }

    [Fact]
    public void Evaluate_RewardMargin_IsTheMeanMargin()
    {
        // (0.5 − 0.25 + 1.0 + 0.75) / 4 = 0.5
        var examples = new[] { Of("q1", null, ("margin", 0.5)), Of("q2", null, ("margin", -0.25)), Of("q3", null, ("margin", 1.0)), Of("q4", null, ("margin", 0.75)) };

        Assert.Equal(0.5, MetricCatalog.Get("reward_margin").Evaluate(examples), 12);
    }

    [Fact]
    public void Evaluate_ContaminationRate_IsTheShareOfContaminatedExamples()
    {
        var examples = new[] { 0.0, 1, 0, 0, 0 }.Select((v, i) => Of($"c{i}", "answer", ("contaminated", v)));

        Assert.Equal(0.2, MetricCatalog.Get("contamination_rate").Evaluate(examples), 12);
    }

    [Fact]
    public void Evaluate_Ece_UsesOnlyExamplesWithAConfidenceAndACorrectness()
    {
        // Only c1 applies (c2 has no confidence, c3 no correctness): one bin, |1 − 0.8| = 0.2.
        var examples = new[]
        {
            Of("c1", "answer", ("correct", 1)) with { Confidence = 0.8 },
            Of("c2", "answer", ("correct", 0)),
            Of("c3", "answer") with { Confidence = 0.1 },
        };

        Assert.Equal(0.2, MetricCatalog.Get("ece").Evaluate(examples), 12);
    }

    [Theory]
    [MemberData(nameof(MetricNames))]
    public void Evaluate_NoExampleApplies_IsNaN(string metric)
    {
        var examples = new[] { Of("n1", "answer"), Of("n2", null, ("unrelated", 1)) };

        Assert.True(double.IsNaN(MetricCatalog.Get(metric).Evaluate(examples)));
    }

    [Fact]
    public void Evaluate_RefusalRateWithoutRefuseRows_IsNaN()
    {
        // Answer rows carry "refused" too, but refusal_rate is defined over requests that must be declined only.
        Assert.True(double.IsNaN(MetricCatalog.Get("refusal_rate").Evaluate(Generation.Where(e => e.Behavior == "answer"))));
    }

    [Fact]
    public void Get_UnknownName_ThrowsListingTheKnownMetrics()
    {
        var e = Assert.Throws<ArgumentException>(() => MetricCatalog.Get("acurracy"));

        Assert.Contains("acurracy", e.Message);
        Assert.Contains("accuracy, exact_match", e.Message);
    }

    private static ExampleResult Gen(string id, string behavior, double correct, double refused, double abstained, double tokens) =>
        Of(id, behavior, ("correct", correct), ("refused", refused), ("abstained", abstained), ("response_tokens", tokens));
}
