using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

[Collection("CpuParallel")]
public sealed class LinearTests
{
    private const int N = 3, In = 5, Out = 7;

    [Fact]
    public void Forward_IsXTimesWeightTransposed()
    {
        var x = GradCheck.Random(N * In, 1);
        var weight = GradCheck.Random(Out * In, 2);
        var y = Enumerable.Repeat(double.NaN, N * Out).ToArray(); // overwritten

        Linear.Forward<double>(x, weight, y, N, In, Out);

        OpAssert.Close(Naive(x, weight, N, In, Out), y, 1e-14, "y");
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences()
    {
        GradCheck.Check(
            new Dictionary<string, double[]> { ["x"] = GradCheck.Random(N * In, 3), ["weight"] = GradCheck.Random(Out * In, 4) },
            ["x", "weight"],
            inputs =>
            {
                var y = new double[N * Out];
                Linear.Forward<double>(inputs["x"], inputs["weight"], y, N, In, Out);
                return y;
            },
            (inputs, dy, grads) => Linear.Backward<double>(dy, inputs["x"], inputs["weight"], grads["x"], grads["weight"], N, In, Out));
    }

    [Fact]
    public void Backward_EmptyGradient_SkipsItAndComputesTheOther()
    {
        var (x, weight, dy) = (GradCheck.Random(N * In, 5), GradCheck.Random(Out * In, 6), GradCheck.Random(N * Out, 7));
        var (dx, dweight) = (new double[N * In], new double[Out * In]);
        Linear.Backward<double>(dy, x, weight, dx, dweight, N, In, Out);

        var dxOnly = new double[N * In];
        Linear.Backward<double>(dy, x, weight, dxOnly, [], N, In, Out);
        var dweightOnly = new double[Out * In];
        Linear.Backward<double>(dy, x, weight, [], dweightOnly, N, In, Out);

        Assert.Equal(dx, dxOnly);
        Assert.Equal(dweight, dweightOnly);
    }

    [Theory]
    [InlineData("x", N * In - 1, Out * In, N * Out)]
    [InlineData("weight", N * In, In * In, N * Out)]
    [InlineData("y", N * In, Out * In, N * Out + 2)]
    public void Forward_WrongLength_ThrowsNamingArgument(string argument, int xLength, int weightLength, int yLength)
    {
        var error = Assert.Throws<ArgumentException>(
            () => Linear.Forward<double>(new double[xLength], new double[weightLength], new double[yLength], N, In, Out));

        Assert.Contains($"Linear: {argument} has length", error.Message);
    }

    [Theory]
    [InlineData("dy", N * Out + 1, N * In, Out * In)]
    [InlineData("dx", N * Out, N * In + 1, Out * In)]
    [InlineData("dweight", N * Out, N * In, Out * In - 1)]
    public void Backward_WrongLength_ThrowsNamingArgument(string argument, int dyLength, int dxLength, int dweightLength)
    {
        var error = Assert.Throws<ArgumentException>(
            () => Linear.Backward<double>(
                new double[dyLength], new double[N * In], new double[Out * In], new double[dxLength], new double[dweightLength], N, In, Out));

        Assert.Contains($"Linear: {argument} has length", error.Message);
    }

    [Fact]
    public void Float_AgreesWithDouble()
    {
        const int n = 70, inF = 96, outF = 33;
        var (x, weight, dy) = (OpAssert.FloatExact(n * inF, 8), OpAssert.FloatExact(outF * inF, 9), OpAssert.FloatExact(n * outF, 10));
        var (y, dx, dweight) = (new double[n * outF], new double[n * inF], new double[outF * inF]);
        var (yF, dxF, dweightF) = (new float[y.Length], new float[dx.Length], new float[dweight.Length]);

        Linear.Forward<double>(x, weight, y, n, inF, outF);
        Linear.Backward<double>(dy, x, weight, dx, dweight, n, inF, outF);
        Linear.Forward<float>(OpAssert.ToFloat(x), OpAssert.ToFloat(weight), yF, n, inF, outF);
        Linear.Backward<float>(OpAssert.ToFloat(dy), OpAssert.ToFloat(x), OpAssert.ToFloat(weight), dxF, dweightF, n, inF, outF);

        OpAssert.Close(y, yF, 1e-5, "y");
        OpAssert.Close(dx, dxF, 1e-5, "dx");
        OpAssert.Close(dweight, dweightF, 1e-5, "dweight");
    }

    [Fact]
    public void ThreadCount_DoesNotChangeBits()
    {
        const int n = 130, inF = 97, outF = 65;
        var x = OpAssert.ToFloat(GradCheck.Random(n * inF, 11));
        var weight = OpAssert.ToFloat(GradCheck.Random(outF * inF, 12));
        var dy = OpAssert.ToFloat(GradCheck.Random(n * outF, 13));

        OpAssert.SameBitsForThreadCounts(() =>
        {
            var (y, dx, dweight) = (new float[n * outF], new float[n * inF], new float[outF * inF]);
            Linear.Forward<float>(x, weight, y, n, inF, outF);
            Linear.Backward<float>(dy, x, weight, dx, dweight, n, inF, outF);
            return [y, dx, dweight];
        });
    }

    private static double[] Naive(double[] x, double[] weight, int n, int inF, int outF)
    {
        var y = new double[n * outF];
        for (var r = 0; r < n; r++)
        {
            for (var o = 0; o < outF; o++)
            {
                for (var i = 0; i < inF; i++)
                {
                    y[r * outF + o] += x[r * inF + i] * weight[o * inF + i];
                }
            }
        }
        return y;
    }
}
