using Pipeline.Workflows.Contracts;
using Pipeline.Workflows.PostTraining;

namespace Pipeline.Workflows.Tests.PostTraining;

public sealed class AbTestTests
{
    private static readonly RolloutConfig Config = new() { MinFeedbackPerVariant = 100, GuardrailMinRequests = 20, MaxErrorRate = 0.05, MaxLatencyP95Ms = 1000 };

    private static ExperimentStats Stats(long championPositive, long championN, long challengerPositive, long challengerN,
        long challengerErrors = 0, double latency = 10) =>
        new("e1", new VariantStats(championN, 0, championN, championPositive, 10), new VariantStats(challengerN, challengerErrors, challengerN, challengerPositive, latency));

    [Fact]
    public void UpperTail_AtTheTwoSidedFivePercentPoint_IsTwoAndAHalfPercent() =>
        Assert.Equal(0.025, AbTest.UpperTail(1.959964), 6);

    [Fact]
    public void Decide_ChallengerClearlyBetterWithEnoughFeedback_Promotes()
    {
        var d = AbTest.Decide(Stats(50, 100, 80, 100), Config, windowClosed: false);
        Assert.Equal(AbVerdict.Promote, d.Verdict);
        Assert.True(d.PValue < 0.05 && d.Z > 0, d.Reason);
    }

    [Fact]
    public void Decide_SmallDifferenceAtTheDeadline_RollsBackAsNotSignificant()
    {
        var d = AbTest.Decide(Stats(50, 100, 55, 100), Config, windowClosed: true);
        Assert.Equal(AbVerdict.RollBack, d.Verdict);
        Assert.Contains("no significant difference", d.Reason);
    }

    [Fact]
    public void Decide_ShortOfFeedbackWhileTheWindowIsOpen_Continues() =>
        Assert.Equal(AbVerdict.Continue, AbTest.Decide(Stats(5, 10, 9, 10), Config, windowClosed: false).Verdict);

    [Fact]
    public void Decide_ChallengerErrorRateOverTheGuardrail_RollsBackBeforeAnyTest()
    {
        var d = AbTest.Decide(Stats(5, 10, 9, 30, challengerErrors: 3), Config, windowClosed: false);
        Assert.Equal(AbVerdict.RollBack, d.Verdict);
        Assert.StartsWith("guardrail: challenger error rate", d.Reason);
        Assert.Null(d.PValue);
    }

    [Fact]
    public void Decide_ChallengerLatencyOverTheGuardrail_RollsBack() =>
        Assert.StartsWith("guardrail: challenger p95 latency", AbTest.Decide(Stats(5, 10, 9, 30, latency: 5000), Config, windowClosed: false).Reason);
}
