using Pipeline.ML.Data;

namespace Pipeline.ML.Tests.Data;

public sealed class TrainValidationSplitTests
{
    private static readonly int[] Items = Enumerable.Range(0, 100).ToArray();

    // Computed independently by a Python transcription of SplitMix64 and the Fisher–Yates loop.
    private static readonly int[] GoldenEval = [0, 5, 9];

    [Fact]
    public void SplitMix64_KnownSeeds_MatchReferenceSequence()
    {
        // Vigna's splitmix64.c: seed 0 and the test vector of Java's SplittableRandom (seed 1234567).
        var zero = new SplitMix64(0);
        var other = new SplitMix64(1234567);

        Assert.Equal([0xE220A8397B1DCDAFUL, 0x6E789E6AA1B965F4UL, 0x06C45D188009454FUL], [zero.NextUInt64(), zero.NextUInt64(), zero.NextUInt64()]);
        Assert.Equal([6457827717110365317UL, 3203168211198807973UL], [other.NextUInt64(), other.NextUInt64()]);
    }

    [Fact]
    public void NextBelow_SmallBound_CoversRangeOnly()
    {
        var random = new SplitMix64(5);

        var draws = Enumerable.Range(0, 1000).Select(_ => random.NextBelow(7)).ToHashSet();

        Assert.Equal(Enumerable.Range(0, 7).Select(i => (ulong)i).ToHashSet(), draws);
    }

    [Fact]
    public void Split_SameSeed_SameSplit()
    {
        var first = TrainValidationSplit.Split(Items, 0.2, seed: 42);
        var second = TrainValidationSplit.Split(Items, 0.2, seed: 42);

        Assert.Equal(first.Train, second.Train);
        Assert.Equal(first.Eval, second.Eval);
    }

    [Fact]
    public void Split_DifferentSeed_DifferentEval()
    {
        Assert.NotEqual(TrainValidationSplit.Split(Items, 0.2, seed: 1).Eval, TrainValidationSplit.Split(Items, 0.2, seed: 2).Eval);
    }

    [Fact]
    public void Split_Parts_DisjointCoverAllAndKeepInputOrder()
    {
        var (train, eval) = TrainValidationSplit.Split(Items, 0.15, seed: 9);

        Assert.Equal(15, eval.Count);
        Assert.Empty(train.Intersect(eval));
        Assert.Equal(Items, train.Concat(eval).Order());
        Assert.Equal(train.Order(), train);
        Assert.Equal(eval.Order(), eval);
    }

    [Fact]
    public void Split_FixedSeed_GoldenEvalSet()
    {
        // Pins the algorithm: a change here silently changes every run's eval set.
        var (_, eval) = TrainValidationSplit.Split(Enumerable.Range(0, 10).ToArray(), 0.3, seed: 42);

        Assert.Equal(GoldenEval, eval);
    }

    [Theory]
    [InlineData(0.7, 10, 7)]
    [InlineData(0.01, 10, 1)]
    [InlineData(0.5, 0, 0)]
    public void Split_Fraction_EvalSizeIsCeiling(double fraction, int count, int expected)
    {
        var (train, eval) = TrainValidationSplit.Split(Enumerable.Range(0, count).ToArray(), fraction, seed: 0);

        Assert.Equal(expected, eval.Count);
        Assert.Equal(count - expected, train.Count);
    }

    [Fact]
    public void Split_ZeroFraction_EmptyEval()
    {
        var (train, eval) = TrainValidationSplit.Split(Items, 0, seed: 3);

        Assert.Empty(eval);
        Assert.Equal(Items, train);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Split_FractionOutOfRange_Throws(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainValidationSplit.Split(Items, fraction, seed: 0));
    }

    [Fact]
    public void Split_NoTrainingItemsLeft_Throws()
    {
        Assert.Throws<ArgumentException>(() => TrainValidationSplit.Split([1], 0.5, seed: 0));
    }
}
