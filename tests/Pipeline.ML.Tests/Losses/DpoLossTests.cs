using Pipeline.ML.Losses;

namespace Pipeline.ML.Tests.Losses;

/// <summary>Each loss against values worked out by hand, and its derivatives against central differences in double.</summary>
public sealed class DpoLossTests
{
    [Fact]
    public void Sigmoid_NoPreferenceYet_IsLogTwoWithSlopeHalfBeta()
    {
        // h = 0: −log σ(0) = log 2, and d/d log π(y_w) = −β·σ(0) = −β/2.
        var pair = DpoLoss.Compute(DpoLossType.Sigmoid, 0.1, -4, -6, -4, -6);

        Assert.Equal(Math.Log(2), pair.Loss, 12);
        Assert.Equal(-0.05, pair.DChosen, 12);
        Assert.Equal(0.05, pair.DRejected, 12);
        Assert.Equal(0, pair.ChosenReward, 12);
    }

    [Fact]
    public void Sigmoid_PolicyPrefersChosen_MatchesHandValues()
    {
        // (log π − log π_ref): chosen −1 − (−2) = 1, rejected −3 − (−2) = −1, so h = 2 and β·h = 0.2:
        // loss = log(1 + e^−0.2) = 0.598138869…, d/d log π(y_w) = −β·σ(−0.2) = −0.045016600…
        var pair = DpoLoss.Compute(DpoLossType.Sigmoid, 0.1, -1, -3, -2, -2);

        Assert.Equal(0.5981388693815918, pair.Loss, 12);
        Assert.Equal(-0.04501660026875222, pair.DChosen, 12);
        Assert.Equal(0.1, pair.ChosenReward, 12);
        Assert.Equal(-0.1, pair.RejectedReward, 12);
    }

    [Fact]
    public void Sigmoid_LabelSmoothing_MixesBothDirections()
    {
        // cDPO: 0.9·log(1 + e^−0.2) + 0.1·log(1 + e^0.2).
        var pair = DpoLoss.Compute(DpoLossType.Sigmoid, 0.1, -1, -3, -2, -2, labelSmoothing: 0.1);

        Assert.Equal(0.6181388693815918, pair.Loss, 12);
    }

    [Fact]
    public void Ipo_RegressesTheMarginOntoOneOverTwoBeta()
    {
        // β = 0.1: target 1/(2β) = 5; h = 2 → (2 − 5)² = 9, d/dh = 2·(2 − 5) = −6.
        var pair = DpoLoss.Compute(DpoLossType.Ipo, 0.1, -1, -3, -2, -2);

        Assert.Equal(9, pair.Loss, 12);
        Assert.Equal(-6, pair.DChosen, 12);
        Assert.Equal(6, pair.DRejected, 12);
        // At the target the loss and its gradient vanish: IPO does not push the margin to infinity as DPO does.
        Assert.Equal(0, DpoLoss.Compute(DpoLossType.Ipo, 0.1, 3, -2, 0, 0).Loss, 12);
    }

    [Fact]
    public void Hinge_ZeroOnceTheMarginExceedsOneOverBeta()
    {
        Assert.Equal(0.8, DpoLoss.Compute(DpoLossType.Hinge, 0.1, -1, -3, -2, -2).Loss, 12);
        var past = DpoLoss.Compute(DpoLossType.Hinge, 0.1, 10, -10, 0, 0);
        Assert.Equal(0, past.Loss);
        Assert.Equal(0, past.DChosen);
    }

    [Fact]
    public void SimPO_IgnoresTheReferenceAndSubtractsGamma()
    {
        // Length-averaged log-probs −0.5 and −1.5, β = 2, γ = 1: −log σ(2·1 − 1) = log(1 + e^−1) = 0.313261687…;
        // rewards β·avg log π = −1 and −3. Any reference values change nothing.
        var pair = DpoLoss.Compute(DpoLossType.SimPO, 2, -0.5, -1.5, 7, -9, simpoGamma: 1);

        Assert.Equal(0.31326168751822286, pair.Loss, 12);
        Assert.Equal(-1, pair.ChosenReward, 12);
        Assert.Equal(-3, pair.RejectedReward, 12);
        Assert.Equal(pair, DpoLoss.Compute(DpoLossType.SimPO, 2, -0.5, -1.5, 0, 0, simpoGamma: 1));
    }

    [Theory]
    [InlineData(DpoLossType.Sigmoid, 0.1, 0.0)]
    [InlineData(DpoLossType.Sigmoid, 0.5, 0.2)]
    [InlineData(DpoLossType.Hinge, 0.1, 0.0)]
    [InlineData(DpoLossType.Ipo, 0.1, 0.0)]
    [InlineData(DpoLossType.Ipo, 1.0, 0.0)]
    [InlineData(DpoLossType.SimPO, 2.0, 0.1)]
    public void Derivatives_MatchCentralDifferences(DpoLossType type, double beta, double smoothing)
    {
        var rng = new Random(17);
        for (var trial = 0; trial < 20; trial++)
        {
            double pc = -10 * rng.NextDouble(), pr = -10 * rng.NextDouble(), rc = -10 * rng.NextDouble(), rr = -10 * rng.NextDouble();
            double Loss(double c, double r) => DpoLoss.Compute(type, beta, c, r, rc, rr, smoothing, simpoGamma: 0.7).Loss;
            const double H = 1e-6;
            var pair = DpoLoss.Compute(type, beta, pc, pr, rc, rr, smoothing, simpoGamma: 0.7);

            Assert.Equal((Loss(pc + H, pr) - Loss(pc - H, pr)) / (2 * H), pair.DChosen, 6);
            Assert.Equal((Loss(pc, pr + H) - Loss(pc, pr - H)) / (2 * H), pair.DRejected, 6);
        }
    }

    [Fact]
    public void Sigmoid_HugeMargins_StayFinite()
    {
        var won = DpoLoss.Compute(DpoLossType.Sigmoid, 0.1, 0, -1e5, 0, 0);
        var lost = DpoLoss.Compute(DpoLossType.Sigmoid, 0.1, -1e5, 0, 0, 0);

        Assert.Equal(0, won.Loss, 12);
        Assert.Equal(1e4, lost.Loss, 6);
        Assert.Equal(-0.1, lost.DChosen, 12);
    }
}
