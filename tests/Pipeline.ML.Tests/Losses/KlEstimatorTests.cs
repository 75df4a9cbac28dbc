using Pipeline.ML.Losses;

namespace Pipeline.ML.Tests.Losses;

public sealed class KlEstimatorTests
{
    [Fact]
    public void K3_EqualLogProbs_IsZeroWithZeroGradient()
    {
        Assert.Equal(0.0, KlEstimator.K3(-1.3, -1.3));
        Assert.Equal(0.0, KlEstimator.K3Gradient(-1.3, -1.3));
    }

    [Theory]
    [InlineData(-1.0, -2.0)]
    [InlineData(-2.0, -1.0)]
    [InlineData(-0.01, -5.0)]
    public void K3_DifferentLogProbs_IsPositiveAndMatchesTheFormula(double logp, double refLogp)
    {
        var k3 = KlEstimator.K3(logp, refLogp);

        Assert.True(k3 > 0);
        Assert.Equal(Math.Exp(refLogp - logp) - (refLogp - logp) - 1, k3, 14);
    }

    [Fact]
    public void K3_HandValue_RefOneNatAbove()
    {
        // ref − logp = 1: e − 1 − 1 = 0.718281828…
        Assert.Equal(Math.E - 2, KlEstimator.K3(-2, -1), 14);
    }

    [Theory]
    [InlineData(-1.0, -2.0)]
    [InlineData(-2.0, -1.0)]
    [InlineData(-0.3, -0.31)]
    public void K3Gradient_MatchesCentralFiniteDifference(double logp, double refLogp)
    {
        const double h = 1e-6;
        var numeric = (KlEstimator.K3(logp + h, refLogp) - KlEstimator.K3(logp - h, refLogp)) / (2 * h);

        Assert.Equal(numeric, KlEstimator.K3Gradient(logp, refLogp), 8);
    }

    [Fact]
    public void K3_AveragedOverSamplesFromPolicy_EstimatesTheExactKl()
    {
        // Two-token distributions p (policy) and q (reference): E_p[k3] = KL(p ‖ q), exactly, for an unbiased estimator.
        double[] p = [0.7, 0.3], q = [0.4, 0.6];
        var exact = p.Zip(q, (pi, qi) => pi * Math.Log(pi / qi)).Sum();
        var expected = p.Zip(q, (pi, qi) => pi * KlEstimator.K3(Math.Log(pi), Math.Log(qi))).Sum();

        Assert.Equal(exact, expected, 12);
    }
}
