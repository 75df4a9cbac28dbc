using Pipeline.ML.Losses;

namespace Pipeline.ML.Tests.Losses;

public sealed class GrpoLossTests
{
    private const double Eps = 0.2;
    private const double Old = -1.0;

    private static GrpoTokenTerms AtRatio(double ratio, double advantage, double epsHigh = Eps) =>
        GrpoLoss.Token(Old + Math.Log(ratio), Old, advantage, Eps, epsHigh);

    [Fact]
    public void Token_RatioOne_LossIsMinusAdvantageAndGradientMinusAdvantage()
    {
        var t = GrpoLoss.Token(-0.7, -0.7, 1.5, Eps, Eps);

        Assert.Equal(1.0, t.Ratio);
        Assert.Equal(-1.5, t.Loss, 14);
        Assert.Equal(-1.5, t.DLogp, 14);
        Assert.False(t.LowClipped || t.HighClipped);
    }

    [Theory]
    [InlineData(1.1)]
    [InlineData(1.19)]
    [InlineData(0.5)]
    public void Token_PositiveAdvantageBelowUpperBound_FullGradient(double ratio)
    {
        var t = AtRatio(ratio, 2.0);

        Assert.Equal(-ratio * 2.0, t.DLogp, 12);
        Assert.Equal(-ratio * 2.0, t.Loss, 12);
        Assert.False(t.HighClipped);
    }

    [Theory]
    [InlineData(1.21)]
    [InlineData(1.5)]
    [InlineData(3.0)]
    public void Token_PositiveAdvantageAboveUpperBound_GradientVanishesAndLossIsClipped(double ratio)
    {
        var t = AtRatio(ratio, 2.0);

        Assert.Equal(0.0, t.DLogp);
        Assert.Equal(-1.2 * 2.0, t.Loss, 12);
        Assert.True(t.HighClipped);
        Assert.False(t.LowClipped);
    }

    [Theory]
    [InlineData(0.79)]
    [InlineData(0.5)]
    public void Token_NegativeAdvantageBelowLowerBound_GradientVanishesAndLossIsClipped(double ratio)
    {
        var t = AtRatio(ratio, -2.0);

        Assert.Equal(0.0, t.DLogp);
        Assert.Equal(0.8 * 2.0, t.Loss, 12);
        Assert.True(t.LowClipped);
        Assert.False(t.HighClipped);
    }

    [Theory]
    [InlineData(0.81)]
    [InlineData(1.5)]
    [InlineData(3.0)]
    public void Token_NegativeAdvantageAboveLowerBound_FullGradient(double ratio)
    {
        // For A < 0, min(ρA, clip(ρ)A) picks the unclipped ρA whenever ρ > 1 − ε: large ratios are never clipped.
        var t = AtRatio(ratio, -2.0);

        Assert.Equal(ratio * 2.0, t.DLogp, 12);
        Assert.Equal(ratio * 2.0, t.Loss, 12);
        Assert.False(t.LowClipped || t.HighClipped);
    }

    [Fact]
    public void Token_ExactlyAtTheBounds_BranchesAgreeAndTheGradientIsFull()
    {
        // ρ = 1 ± ε exactly (given as ratio-producing logps whose exp rounds to the bound or a hair inside it).
        var high = GrpoLoss.Token(Math.Log(1.2), 0, 1.0, Eps, Eps);
        var low = GrpoLoss.Token(Math.Log(0.8), 0, -1.0, Eps, Eps);

        Assert.Equal(1.2, high.Ratio, 14);
        Assert.Equal(-1.2, high.Loss, 12);
        Assert.Equal(-high.Ratio, high.DLogp, 14);
        Assert.False(high.HighClipped);
        Assert.Equal(0.8, low.Ratio, 14);
        Assert.Equal(0.8, low.Loss, 12);
        Assert.Equal(low.Ratio, low.DLogp, 14);
        Assert.False(low.LowClipped);
    }

    [Fact]
    public void Token_EpsilonHigh_MovesOnlyTheUpperBound()
    {
        Assert.False(AtRatio(1.25, 1.0, epsHigh: 0.28).HighClipped);
        Assert.True(AtRatio(1.29, 1.0, epsHigh: 0.28).HighClipped);
        Assert.True(AtRatio(0.79, -1.0, epsHigh: 0.28).LowClipped);
    }

    [Fact]
    public void Token_ZeroAdvantage_NoPolicyGradientAndNeverClipped()
    {
        var t = AtRatio(5.0, 0.0);

        Assert.Equal(0.0, t.DLogp);
        Assert.Equal(0.0, t.Loss);
        Assert.False(t.LowClipped || t.HighClipped);
    }

    [Fact]
    public void Token_WithReference_AddsBetaTimesK3AndItsGradient()
    {
        var t = GrpoLoss.Token(-1.0, -1.0, 0.5, Eps, Eps, beta: 0.1, refLogp: -2.0);

        Assert.Equal(KlEstimator.K3(-1, -2), t.Kl, 14);
        Assert.Equal(-0.5 + 0.1 * KlEstimator.K3(-1, -2), t.Loss, 12);
        Assert.Equal(-0.5 + 0.1 * KlEstimator.K3Gradient(-1, -2), t.DLogp, 12);
    }

    [Theory]
    [InlineData(-1.0, -1.1, 1.3, 0.05, -1.4)]    // ρ ≈ 1.105, inside
    [InlineData(-1.0, -1.5, 1.3, 0.05, -0.9)]    // ρ ≈ 1.65, high-clipped (KL gradient only)
    [InlineData(-1.5, -1.0, -0.7, 0.05, -1.2)]   // ρ ≈ 0.61, low-clipped
    [InlineData(-1.5, -1.0, 0.7, 0.0, -1.2)]     // ρ ≈ 0.61, A > 0: unclipped
    [InlineData(-0.2, -0.4, -2.0, 0.3, -3.0)]
    public void Token_DLogp_MatchesCentralFiniteDifferenceAwayFromTheBounds(double logp, double old, double adv, double beta, double refLogp)
    {
        const double h = 1e-6;
        double L(double x) => GrpoLoss.Token(x, old, adv, Eps, 0.28, beta, refLogp).Loss;
        var numeric = (L(logp + h) - L(logp - h)) / (2 * h);

        Assert.Equal(numeric, GrpoLoss.Token(logp, old, adv, Eps, 0.28, beta, refLogp).DLogp, 7);
    }

    [Fact]
    public void SequenceWeights_Grpo_IsPerSequenceMeanThenMean()
    {
        var w = GrpoLoss.SequenceWeights([2, 4, 0, 1], GrpoLossType.Grpo, maxCompletionLength: 8);

        Assert.Equal([1 / 8.0, 1 / 16.0, 0, 1 / 4.0], w);
    }

    [Fact]
    public void SequenceWeights_Bnpo_IsTheTokenMeanOverTheStep()
    {
        var w = GrpoLoss.SequenceWeights([2, 4, 0, 1], GrpoLossType.Bnpo, maxCompletionLength: 8);

        Assert.Equal([1 / 7.0, 1 / 7.0, 0, 1 / 7.0], w);
    }

    [Fact]
    public void SequenceWeights_DrGrpo_DividesBySequencesTimesMaxLength()
    {
        var w = GrpoLoss.SequenceWeights([2, 4, 0, 1], GrpoLossType.DrGrpo, maxCompletionLength: 8);

        Assert.Equal([1 / 32.0, 1 / 32.0, 0, 1 / 32.0], w);
    }
}
