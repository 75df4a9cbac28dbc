using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;
using static Pipeline.Eval.Tests.Metrics.Examples;

namespace Pipeline.Eval.Tests.Metrics;

public sealed class BootstrapTests
{
    private static readonly EvalMetric Accuracy = MetricCatalog.Get("accuracy");

    private static readonly BootstrapSettings Settings = new(Samples: 1000, Seed: 7, Confidence: 0.95);

    /// <summary>40 examples, 27 right (every third one wrong).</summary>
    private static readonly List<ExampleResult> Typical = Correct([.. Enumerable.Range(0, 40).Select(i => i % 3 == 2 ? 0.0 : 1.0)]);

    [Fact]
    public void Interval_SameSeedTwice_GivesTheSameInterval()
    {
        Assert.Equal(Bootstrap.Interval(Accuracy, Typical, Settings), Bootstrap.Interval(Accuracy, Typical, Settings));
    }

    [Fact]
    public void Interval_TypicalSuite_ContainsThePointValue()
    {
        var r = Bootstrap.Interval(Accuracy, Typical, Settings);

        Assert.Equal(27.0 / 40, r.Value, 12);
        Assert.Equal(40, r.N);
        Assert.InRange(r.Value, r.Lower!.Value, r.Upper!.Value);
        Assert.True(r.Upper > r.Lower, $"expected a non-empty interval, got [{r.Lower}, {r.Upper}]");
    }

    [Fact]
    public void Interval_AllExamplesIdentical_HasZeroWidth()
    {
        var r = Bootstrap.Interval(Accuracy, Correct([.. Enumerable.Repeat(1.0, 25)]), Settings);

        Assert.Equal((1.0, 1.0, 1.0), (r.Value, r.Lower!.Value, r.Upper!.Value));
    }

    [Fact]
    public void Interval_TinyInput_EqualsAnIndependentResamplingLoop()
    {
        // The contract: System.Random seeded with the seed (below 2^31 it is used as is), `samples` resamples of n
        // indices drawn with Next(n) in order, quantiles at (1 ∓ c) / 2 by numpy's linear interpolation.
        double[] values = [1, 0, 1, 1, 0];
        var settings = new BootstrapSettings(Samples: 50, Seed: 7, Confidence: 0.9);
        var rng = new Random(7);
        var means = new double[settings.Samples];
        for (var s = 0; s < means.Length; s++)
        {
            var sum = 0.0;
            for (var i = 0; i < values.Length; i++)
            {
                sum += values[rng.Next(values.Length)];
            }
            means[s] = sum / values.Length;
        }
        Array.Sort(means);
        // numpy: position (m − 1)·q between order statistics; (1 − 0.9) / 2 = 0.05, (1 + 0.9) / 2 = 0.95.
        static double At(double[] sorted, double q)
        {
            var pos = (sorted.Length - 1) * q;
            var below = (int)pos;
            return below + 1 < sorted.Length ? sorted[below] + (pos - below) * (sorted[below + 1] - sorted[below]) : sorted[below];
        }

        var r = Bootstrap.Interval(Accuracy, Correct(values), settings);

        Assert.Equal(0.6, r.Value, 12);
        Assert.Equal(At(means, 0.05), r.Lower!.Value, 12);
        Assert.Equal(At(means, 0.95), r.Upper!.Value, 12);
    }

    [Fact]
    public void Interval_NoApplicableExample_IsNaNWithoutBounds()
    {
        var r = Bootstrap.Interval(Accuracy, [Of("x", "answer", ("refused", 1))], Settings);

        Assert.Equal((double.NaN, null, null, 0), (r.Value, r.Lower, r.Upper, r.N));
    }

    [Fact]
    public void Quantiles_FourValues_InterpolateLinearlyBetweenOrderStatistics()
    {
        // q = 0.025: position 3·0.025 = 0.075 → 1 + 0.075·(2 − 1) = 1.075
        // q = 0.975: position 3·0.975 = 2.925 → 3 + 0.925·(4 − 3) = 3.925
        var (lower, upper) = Bootstrap.Quantiles([4, 2, 3, 1], 0.95);

        Assert.Equal(1.075, lower!.Value, 12);
        Assert.Equal(3.925, upper!.Value, 12);
    }

    [Fact]
    public void Quantiles_NoValues_AreNull()
    {
        Assert.Equal((null, null), Bootstrap.Quantiles([], 0.95));
    }
}
