using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;
using static Pipeline.Eval.Tests.Metrics.Examples;

namespace Pipeline.Eval.Tests.Metrics;

public sealed class BootstrapPairedDifferenceTests
{
    private static readonly EvalMetric Accuracy = MetricCatalog.Get("accuracy");

    private static readonly BootstrapSettings Settings = new(Samples: 1000, Seed: 11, Confidence: 0.95);

    [Fact]
    public void PairedDifference_SameResultsListedInAnotherOrder_PairsThemById()
    {
        // Paired by position, resamples would set a1 against d0 and give nonzero differences.
        var candidate = new[] { Of("a", null, ("correct", 1)), Of("b", null, ("correct", 0)), Of("c", null, ("correct", 1)), Of("d", null, ("correct", 0)) };
        var baseline = candidate.Reverse().ToArray();

        var (delta, lower, upper, pairs) = Bootstrap.PairedDifference(Accuracy, candidate, baseline, Settings);

        Assert.Equal((0.0, 0.0, 0.0, 4), (delta, lower, upper, pairs));
    }

    [Fact]
    public void PairedDifference_IdsOnOneSideOnly_AreLeftOut()
    {
        // Shared a, b, c: candidate 1 1 0 (2/3), baseline 0 1 0 (1/3). x and y would move either mean if counted.
        ExampleResult[] candidate = [Of("a", null, ("correct", 1)), Of("b", null, ("correct", 1)), Of("c", null, ("correct", 0)), Of("x", null, ("correct", 1))];
        ExampleResult[] baseline = [Of("y", null, ("correct", 0)), Of("c", null, ("correct", 0)), Of("b", null, ("correct", 1)), Of("a", null, ("correct", 0))];

        var (delta, _, _, pairs) = Bootstrap.PairedDifference(Accuracy, candidate, baseline, Settings);

        Assert.Equal(3, pairs);
        Assert.Equal(1.0 / 3, delta, 12);
    }

    [Fact]
    public void PairedDifference_CandidateIdenticalToBaseline_IsZeroWithAZeroInterval()
    {
        var run = Correct([.. Enumerable.Range(0, 30).Select(i => i % 4 == 0 ? 0.0 : 1.0)]);

        var (delta, lower, upper, pairs) = Bootstrap.PairedDifference(Accuracy, run, run, Settings);

        Assert.Equal((0.0, 0.0, 0.0, 30), (delta, lower, upper, pairs));
    }

    [Fact]
    public void PairedDifference_UniformlyBetterCandidate_HasAnIntervalAboveZero()
    {
        // Right on all 40 against right on 10 of 40: every resample's difference is positive unless it draws only
        // the baseline's 10 right examples, (1/4)^40.
        var candidate = Correct([.. Enumerable.Repeat(1.0, 40)]);
        var baseline = Correct([.. Enumerable.Range(0, 40).Select(i => i % 4 == 0 ? 1.0 : 0.0)]);

        var (delta, lower, upper, _) = Bootstrap.PairedDifference(Accuracy, candidate, baseline, Settings);

        Assert.Equal(0.75, delta, 12);
        Assert.True(lower > 0, $"expected the interval above 0, got [{lower}, {upper}]");
        Assert.InRange(delta, lower, upper);
    }

    [Fact]
    public void PairedDifference_NoSharedIds_IsNaN()
    {
        var (delta, lower, upper, pairs) = Bootstrap.PairedDifference(
            Accuracy, [Of("a", null, ("correct", 1))], [Of("b", null, ("correct", 1))], Settings);

        Assert.Equal((double.NaN, double.NaN, double.NaN, 0), (delta, lower, upper, pairs));
    }
}
