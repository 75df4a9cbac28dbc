using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

[Collection("CpuParallel")]
public sealed class CrossEntropyTests
{
    private const int Ignore = CrossEntropy.IgnoreIndex;

    [Fact]
    public void Forward_HandComputedRow()
    {
        // softmax(log [1, 2, 3, 4]) = [0.1, 0.2, 0.3, 0.4]; target 2 → loss −log 0.3.
        double[] logits = [0, Math.Log(2), Math.Log(3), Math.Log(4)];
        var losses = new double[1];

        var stats = CrossEntropy.Forward<double>(logits, [2], losses, 1, 4);

        Assert.Equal(-Math.Log(0.3), losses[0], 14);
        Assert.Equal(new CrossEntropyStats(losses[0], 1, 0), stats);
    }

    [Fact]
    public void Forward_CountsRowsAndArgmaxHitsExactly_TiesGoToLowestIndex()
    {
        double[] logits =
        [
            1, 3, 3, 0, // target 1: the first of the tied maxima → correct
            1, 3, 3, 0, // target 2: the second of the tied maxima → not correct
            5, 0, 0, 0, // ignored: neither counted nor correct
            0, 0, 0, 9, // target 3 → correct
            2, 1, 0, 0, // target 1 → not correct
        ];
        int[] targets = [1, 2, Ignore, 3, 1];
        var losses = Enumerable.Repeat(double.NaN, 5).ToArray();

        var stats = CrossEntropy.Forward<double>(logits, targets, losses, 5, 4);

        Assert.Equal(4, stats.Count);
        Assert.Equal(2, stats.Correct);
        Assert.Equal(0.0, losses[2]);
        Assert.Equal(losses[0] + losses[1] + losses[3] + losses[4], stats.LossSum, 14);
        OpAssert.Close(Naive(logits, targets, 5, 4), losses, 1e-14, "losses");
    }

    [Fact]
    public void Forward_MatchesNaiveReference()
    {
        const int n = 4, vocab = 37; // vector loops and a scalar tail
        var logits = GradCheck.Random(n * vocab, 9, 6);
        int[] targets = [36, 0, Ignore, 17];
        var losses = new double[n];

        CrossEntropy.Forward<double>(logits, targets, losses, n, vocab);

        OpAssert.Close(Naive(logits, targets, n, vocab), losses, 1e-14, "losses");
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(37, 0)]
    public void Forward_TieAcrossVectorLanes_ArgmaxIsLowestIndex(int target, int correct)
    {
        var logits = new float[40];
        logits[5] = logits[37] = 2f;

        var stats = CrossEntropy.Forward<float>(logits, [target], new float[1], 1, 40);

        Assert.Equal(correct, stats.Correct);
    }

    [Fact]
    public void Forward_HugeLogits_StayFinite()
    {
        var logits = Enumerable.Range(0, 40).Select(i => 1000f - i).ToArray(); // exp(1000) overflows float
        var losses = new float[1];

        CrossEntropy.Forward<float>(logits, [0], losses, 1, 40);

        Assert.Equal(Math.Log(1 / (1 - Math.Exp(-1))), losses[0], 5); // −log softmax₀ of a geometric series
    }

    [Theory]
    [InlineData(7)]
    [InlineData(37)] // vector loops and a scalar tail
    public void Backward_MeanLossMatchesFiniteDifferences(int vocab)
    {
        const int n = 5;
        int[] targets = [3, Ignore, 0, Ignore, 6];
        GradCheck.Check(
            new Dictionary<string, double[]> { ["logits"] = GradCheck.Random(n * vocab, 1, 3) },
            ["logits"],
            inputs =>
            {
                var stats = CrossEntropy.Forward<double>(inputs["logits"], targets, new double[n], n, vocab);
                return [stats.LossSum / stats.Count];
            },
            (inputs, dloss, grads) => CrossEntropy.Backward<double>(inputs["logits"], targets, grads["logits"], n, vocab, dloss[0] / 3));
    }

    [Fact]
    public void Backward_IgnoredRows_GetNoGradient()
    {
        var dlogits = Enumerable.Repeat(0.5, 2 * 7).ToArray();

        CrossEntropy.Backward<double>(GradCheck.Random(2 * 7, 2), [Ignore, 4], dlogits, 2, 7, 1.0);

        Assert.All(dlogits.Take(7), v => Assert.Equal(0.5, v));
        Assert.Equal(0.0, dlogits.Skip(7).Sum() - 7 * 0.5, 14); // softmax − onehot sums to zero
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    [InlineData(-101)]
    public void BadTarget_ThrowsNamingRow(int target)
    {
        int[] targets = [0, target];
        var logits = new double[2 * 7];

        var forward = Assert.Throws<ArgumentException>(() => CrossEntropy.Forward<double>(logits, targets, new double[2], 2, 7));
        var backward = Assert.Throws<ArgumentException>(() => CrossEntropy.Backward<double>(logits, targets, new double[2 * 7], 2, 7, 1.0));

        Assert.Contains($"target {target} at row 1", forward.Message);
        Assert.Contains($"target {target} at row 1", backward.Message);
    }

    [Theory]
    [InlineData("logits", 13, 2, 2, 14)]
    [InlineData("targets", 14, 3, 2, 14)]
    [InlineData("losses", 14, 2, 1, 14)]
    [InlineData("dlogits", 14, 2, 2, 15)]
    public void WrongLength_ThrowsNamingArgument(string argument, int logitsLength, int targetsLength, int lossesLength, int dlogitsLength)
    {
        var (logits, targets) = (new double[logitsLength], new int[targetsLength]);

        var error = Assert.Throws<ArgumentException>(() =>
        {
            CrossEntropy.Forward<double>(logits, targets, new double[lossesLength], 2, 7);
            CrossEntropy.Backward<double>(logits, targets, new double[dlogitsLength], 2, 7, 1.0);
        });

        Assert.Contains($"CrossEntropy: {argument} has length", error.Message);
    }

    [Fact]
    public void Float_AgreesWithDouble()
    {
        const int n = 70, vocab = 96;
        var logits = OpAssert.FloatExact(n * vocab, 3, 5);
        var targets = Enumerable.Range(0, n).Select(r => r % 9 == 0 ? Ignore : r * 31 % vocab).ToArray();
        var (losses, dlogits) = (new double[n], new double[n * vocab]);
        var (lossesF, dlogitsF) = (new float[n], new float[n * vocab]);

        var stats = CrossEntropy.Forward<double>(logits, targets, losses, n, vocab);
        CrossEntropy.Backward<double>(logits, targets, dlogits, n, vocab, 0.75);
        var statsF = CrossEntropy.Forward<float>(OpAssert.ToFloat(logits), targets, lossesF, n, vocab);
        CrossEntropy.Backward<float>(OpAssert.ToFloat(logits), targets, dlogitsF, n, vocab, 0.75f);

        OpAssert.Close(losses, lossesF, 1e-5, "losses");
        OpAssert.Close(dlogits, dlogitsF, 1e-5, "dlogits");
        Assert.Equal(stats.LossSum, statsF.LossSum, 1e-4);
        Assert.Equal((stats.Count, stats.Correct), (statsF.Count, statsF.Correct));
    }

    [Fact]
    public void ThreadCount_DoesNotChangeBits()
    {
        const int n = 64, vocab = 1001;
        Assert.True(RowChunks.Count(n, vocab) > 2);
        var logits = OpAssert.ToFloat(GradCheck.Random(n * vocab, 4, 5));
        var targets = Enumerable.Range(0, n).Select(r => r % 5 == 0 ? Ignore : r * 37 % vocab).ToArray();

        OpAssert.SameBitsForThreadCounts(() =>
        {
            var (losses, dlogits) = (new float[n], new float[n * vocab]);
            var stats = CrossEntropy.Forward<float>(logits, targets, losses, n, vocab);
            CrossEntropy.Backward<float>(logits, targets, dlogits, n, vocab, 1f / stats.Count);
            return [losses, dlogits, [(float)stats.LossSum, stats.Count, stats.Correct]];
        });
    }

    private static double[] Naive(double[] logits, int[] targets, int n, int vocab)
    {
        var losses = new double[n];
        for (var r = 0; r < n; r++)
        {
            if (targets[r] == Ignore)
            {
                continue;
            }
            var row = logits.AsSpan(r * vocab, vocab).ToArray();
            var max = row.Max();
            losses[r] = max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[targets[r]];
        }
        return losses;
    }
}
