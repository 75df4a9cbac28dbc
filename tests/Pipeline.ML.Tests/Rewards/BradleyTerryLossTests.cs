using Pipeline.ML.Rewards;

namespace Pipeline.ML.Tests.Rewards;

public class BradleyTerryLossTests
{
    [Fact]
    public void Compute_EqualRewards_LossIsLog2AndGradientIsHalfOverN()
    {
        float[] chosen = [0.3f, -1.2f], rejected = [0.3f, -1.2f];
        var (dw, dl) = (new float[2], new float[2]);

        var stats = BradleyTerryLoss.Compute(chosen, rejected, dw, dl, gradScale: 0.5);

        Assert.Equal(Math.Log(2), stats.Loss, 12);
        // d/dr_w −log σ(Δ) = −σ(−Δ) = −1/2 at Δ = 0, times 1/N.
        Assert.All(dw, g => Assert.Equal(-0.25f, g));
        Assert.All(dl, g => Assert.Equal(0.25f, g));
    }

    [Fact]
    public void Compute_HandValues_MatchSoftplus()
    {
        // Δ = 2: −log σ(2) = log(1 + e^−2) = 0.126928011…; d/dr_w = −σ(−2) = −0.119202922…
        float[] chosen = [2.5f], rejected = [0.5f];
        var (dw, dl) = (new float[1], new float[1]);

        var stats = BradleyTerryLoss.Compute(chosen, rejected, dw, dl, gradScale: 1);

        Assert.Equal(0.12692801104297263, stats.Loss, 12);
        Assert.Equal(-0.11920292202211755f, dw[0], 6);
        Assert.Equal(0.11920292202211755f, dl[0], 6);
    }

    [Fact]
    public void Compute_HugeMargins_StayFinite()
    {
        // Δ = +300: loss e^−300 (≈ 0), gradient ≈ 0. Δ = −300: loss 300 exactly, gradient −1 — no exp overflow either way.
        float[] chosen = [150f, -150f], rejected = [-150f, 150f];
        var (dw, dl) = (new float[2], new float[2]);

        var stats = BradleyTerryLoss.Compute(chosen, rejected, dw, dl, gradScale: 1);

        Assert.Equal(300.0 / 2, stats.Loss, 9);
        Assert.Equal(0f, dw[0], 12);
        Assert.Equal(-1f, dw[1]);
        Assert.Equal(1f, dl[1]);
        Assert.All(dw.Concat(dl), g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void Compute_WithCentering_GradientMatchesFiniteDifferences()
    {
        float[] chosen = [0.7f, -0.4f, 1.9f], rejected = [0.2f, 0.8f, 1.1f];
        const double c = 0.05;
        var (dw, dl) = (new float[3], new float[3]);
        BradleyTerryLoss.Compute(chosen, rejected, dw, dl, gradScale: 1.0 / 3, c);

        for (var side = 0; side < 2; side++)
        {
            for (var i = 0; i < 3; i++)
            {
                var x = side == 0 ? chosen : rejected;
                var keep = x[i];
                x[i] = keep + 1e-3f;
                var up = BradleyTerryLoss.Evaluate(chosen, rejected, c).Loss;
                var hi = x[i];
                x[i] = keep - 1e-3f;
                var down = BradleyTerryLoss.Evaluate(chosen, rejected, c).Loss;
                var lo = x[i];
                x[i] = keep;
                var numeric = (up - down) / ((double)hi - lo);
                var analytic = side == 0 ? dw[i] : dl[i];
                Assert.True(Math.Abs(numeric - analytic) < 1e-5, $"{(side == 0 ? "chosen" : "rejected")}[{i}]: numeric {numeric}, analytic {analytic}");
            }
        }
    }

    [Fact]
    public void Compute_CenterTerm_AddsCoefficientTimesMeanSquaredSum()
    {
        float[] chosen = [1f, 2f], rejected = [1f, -1f];
        var plain = BradleyTerryLoss.Evaluate(chosen, rejected).Loss;

        var centred = BradleyTerryLoss.Evaluate(chosen, rejected, centerCoefficient: 0.1).Loss;

        // mean((r_w + r_l)²) = (4 + 1) / 2.
        Assert.Equal(plain + 0.1 * 2.5, centred, 12);
    }

    [Fact]
    public void Compute_Gradients_Accumulate()
    {
        float[] chosen = [1f], rejected = [0f];
        var (dw, dl) = (new[] { 10f }, new[] { -10f });

        BradleyTerryLoss.Compute(chosen, rejected, dw, dl, gradScale: 1);

        Assert.Equal(10 - 0.26894142f, dw[0], 5);
        Assert.Equal(-10 + 0.26894142f, dl[0], 5);
    }

    [Fact]
    public void Metrics_AccuracyMarginAndRewards_AsTrlNamesThem()
    {
        // Pairs: win (3 > 1), tie (0 = 0: not a win), loss (−2 < 2).
        float[] chosen = [3f, 0f, -2f], rejected = [1f, 0f, 2f];

        var m = BradleyTerryLoss.Evaluate(chosen, rejected).Metrics("eval_");

        Assert.Equal(["eval_loss", "eval_accuracy", "eval_margin", "eval_mean_reward", "eval_min_reward", "eval_max_reward"], m.Keys);
        Assert.Equal(1.0 / 3, m["eval_accuracy"], 12);
        Assert.Equal((2.0 + 0 - 4) / 3, m["eval_margin"], 12);
        Assert.Equal(4.0 / 6, m["eval_mean_reward"], 12);
        Assert.Equal(-2, m["eval_min_reward"]);
        Assert.Equal(3, m["eval_max_reward"]);
    }

    [Fact]
    public void Stats_AddedAcrossBatches_EqualOneBatch()
    {
        float[] chosen = [0.5f, 1f, -1f, 2f], rejected = [0f, 1.5f, -3f, 2.5f];

        var whole = BradleyTerryLoss.Evaluate(chosen, rejected);
        var parts = BradleyTerryLoss.Evaluate(chosen.AsSpan(0, 1), rejected.AsSpan(0, 1))
            .Add(BradleyTerryLoss.Evaluate(chosen.AsSpan(1), rejected.AsSpan(1)));

        Assert.Equal(whole.Pairs, parts.Pairs);
        Assert.Equal(whole.Loss, parts.Loss, 12);
        foreach (var (name, value) in whole.Metrics())
        {
            Assert.Equal(value, parts.Metrics()[name], 12);
        }
    }
}
