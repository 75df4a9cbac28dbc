using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

[Collection("CpuParallel")]
public sealed class TokenLogProbsTests
{
    private const int Ignore = CrossEntropy.IgnoreIndex;
    private const int N = 3, V = 7;

    [Fact]
    public void Forward_IsLogSoftmaxAtTarget_IgnoredRowIsZero()
    {
        double[] logits = [0, Math.Log(2), Math.Log(3), Math.Log(4), 0, 1, 2, 3];
        var logp = new[] { double.NaN, double.NaN };

        TokenLogProbs.Forward<double>(logits, [3, Ignore], logp, 2, 4);

        Assert.Equal(Math.Log(0.4), logp[0], 14);
        Assert.Equal(0.0, logp[1]);
    }

    [Fact]
    public void Forward_IsMinusTheCrossEntropyLoss()
    {
        const int vocab = 37;
        var logits = GradCheck.Random(N * vocab, 1, 4);
        int[] targets = [36, Ignore, 0];
        var (logp, losses) = (new double[N], new double[N]);

        TokenLogProbs.Forward<double>(logits, targets, logp, N, vocab);
        CrossEntropy.Forward<double>(logits, targets, losses, N, vocab);

        Assert.Equal(losses.Select(l => -l), logp);
    }

    [Theory]
    [InlineData(V)]
    [InlineData(37)] // vector loops and a scalar tail
    public void Backward_MatchesFiniteDifferences(int vocab)
    {
        int[] targets = [2, Ignore, 5];
        GradCheck.Check(
            new Dictionary<string, double[]> { ["logits"] = GradCheck.Random(N * vocab, 2, 3) },
            ["logits"],
            inputs =>
            {
                var logp = new double[N];
                TokenLogProbs.Forward<double>(inputs["logits"], targets, logp, N, vocab);
                return logp;
            },
            (inputs, dlogp, grads) => TokenLogProbs.Backward<double>(inputs["logits"], targets, dlogp, grads["logits"], N, vocab));
    }

    [Theory]
    [InlineData(V)]
    [InlineData(-2)]
    public void BadTarget_ThrowsNamingOpAndRow(int target)
    {
        int[] targets = [1, 1, target];
        var logits = new double[N * V];

        var forward = Assert.Throws<ArgumentException>(() => TokenLogProbs.Forward<double>(logits, targets, new double[N], N, V));
        var backward = Assert.Throws<ArgumentException>(
            () => TokenLogProbs.Backward<double>(logits, targets, new double[N], new double[N * V], N, V));

        Assert.Contains($"TokenLogProbs: target {target} at row 2", forward.Message);
        Assert.Contains($"TokenLogProbs: target {target} at row 2", backward.Message);
    }

    [Theory]
    [InlineData("logits", N * V - 1, N, N, N * V)]
    [InlineData("targets", N * V, N - 1, N, N * V)]
    [InlineData("dlogp", N * V, N, N + 1, N * V)]
    [InlineData("dlogits", N * V, N, N, 0)]
    public void Backward_WrongLength_ThrowsNamingArgument(string argument, int logitsLength, int targetsLength, int dlogpLength, int dlogitsLength)
    {
        var error = Assert.Throws<ArgumentException>(
            () => TokenLogProbs.Backward<double>(
                new double[logitsLength], new int[targetsLength], new double[dlogpLength], new double[dlogitsLength], N, V));

        Assert.Contains($"TokenLogProbs: {argument} has length", error.Message);
    }

    [Fact]
    public void Forward_WrongLogpLength_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(
            () => TokenLogProbs.Forward<double>(new double[N * V], new int[N], new double[N + 1], N, V));

        Assert.Contains("TokenLogProbs: logp has length 4, expected 3", error.Message);
    }

    [Fact]
    public void Float_AgreesWithDouble()
    {
        const int n = 70, vocab = 96;
        var (logits, dlogp) = (OpAssert.FloatExact(n * vocab, 3, 5), OpAssert.FloatExact(n, 4));
        var targets = Enumerable.Range(0, n).Select(r => r % 11 == 0 ? Ignore : r * 29 % vocab).ToArray();
        var (logp, dlogits) = (new double[n], new double[n * vocab]);
        var (logpF, dlogitsF) = (new float[n], new float[n * vocab]);

        TokenLogProbs.Forward<double>(logits, targets, logp, n, vocab);
        TokenLogProbs.Backward<double>(logits, targets, dlogp, dlogits, n, vocab);
        TokenLogProbs.Forward<float>(OpAssert.ToFloat(logits), targets, logpF, n, vocab);
        TokenLogProbs.Backward<float>(OpAssert.ToFloat(logits), targets, OpAssert.ToFloat(dlogp), dlogitsF, n, vocab);

        OpAssert.Close(logp, logpF, 1e-5, "logp");
        OpAssert.Close(dlogits, dlogitsF, 1e-5, "dlogits");
    }

    [Fact]
    public void ThreadCount_DoesNotChangeBits()
    {
        const int n = 64, vocab = 1001;
        Assert.True(RowChunks.Count(n, vocab) > 2);
        var logits = OpAssert.ToFloat(GradCheck.Random(n * vocab, 5, 5));
        var dlogp = OpAssert.ToFloat(GradCheck.Random(n, 6));
        var targets = Enumerable.Range(0, n).Select(r => r % 7 == 0 ? Ignore : r * 41 % vocab).ToArray();

        OpAssert.SameBitsForThreadCounts(() =>
        {
            var (logp, dlogits) = (new float[n], new float[n * vocab]);
            TokenLogProbs.Forward<float>(logits, targets, logp, n, vocab);
            TokenLogProbs.Backward<float>(logits, targets, dlogp, dlogits, n, vocab);
            return [logp, dlogits];
        });
    }
}
