using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

[Collection("CpuParallel")]
public sealed class RmsNormTests
{
    private const int N = 3, C = 5;
    private const double Eps = 1e-5;

    [Fact]
    public void Forward_HandComputedRow()
    {
        // mean(x²) = (9 + 16) / 2 = 12.5, so rstd = 1 / sqrt(12.5 + eps).
        double[] x = [3, -4];
        double[] weight = [2, 0.5];
        var (y, rstd) = (new double[2], new double[1]);

        RmsNorm.Forward<double>(x, weight, y, rstd, 1, 2, Eps);

        var expected = 1 / Math.Sqrt(12.5 + Eps);
        Assert.Equal(expected, rstd[0], 15);
        Assert.Equal(3 * expected * 2, y[0], 14);
        Assert.Equal(-4 * expected * 0.5, y[1], 14);
    }

    [Fact]
    public void Forward_MatchesNaiveReference()
    {
        const int n = 4, c = 37; // crosses a vector width with a tail
        var (x, weight) = (GradCheck.Random(n * c, 1, 3), GradCheck.Random(c, 2));
        var (y, rstd) = (new double[n * c], new double[n]);

        RmsNorm.Forward<double>(x, weight, y, rstd, n, c, Eps);

        var (expectedY, expectedRstd) = Naive(x, weight, n, c);
        OpAssert.Close(expectedY, y, 1e-14, "y");
        OpAssert.Close(expectedRstd, rstd, 1e-14, "rstd");
    }

    [Theory]
    [InlineData(N, C)]
    [InlineData(2, 37)] // vector loops and a scalar tail
    public void Backward_MatchesFiniteDifferences(int n, int c)
    {
        GradCheck.Check(
            new Dictionary<string, double[]> { ["x"] = GradCheck.Random(n * c, 3, 2), ["weight"] = GradCheck.Random(c, 4) },
            ["x", "weight"],
            inputs => Forward(inputs["x"], inputs["weight"], n, c).Y,
            (inputs, dy, grads) =>
            {
                var rstd = Forward(inputs["x"], inputs["weight"], n, c).Rstd;
                RmsNorm.Backward<double>(dy, inputs["x"], inputs["weight"], rstd, grads["x"], grads["weight"], n, c);
            });
    }

    [Fact]
    public void Backward_ManyRowBlocks_WeightGradientIsTheSumOverAllRows()
    {
        const int n = 301, c = 203;
        var (x, weight, dy) = (GradCheck.Random(n * c, 5), GradCheck.Random(c, 6), GradCheck.Random(n * c, 7));
        var rstd = Forward(x, weight, n, c).Rstd;
        var dweight = new double[c];

        RmsNorm.Backward<double>(dy, x, weight, rstd, new double[n * c], dweight, n, c);

        var expected = new double[c];
        for (var r = 0; r < n; r++)
        {
            for (var j = 0; j < c; j++)
            {
                expected[j] += dy[r * c + j] * x[r * c + j] * rstd[r];
            }
        }
        OpAssert.Close(expected, dweight, 1e-12, "dweight");
    }

    [Fact]
    public void Backward_EmptyDWeight_SkipsItWithTheSameDx()
    {
        var (x, weight, dy) = (GradCheck.Random(N * C, 5), GradCheck.Random(C, 6), GradCheck.Random(N * C, 7));
        var rstd = Forward(x, weight, N, C).Rstd;
        var (dx, dweight, dxFrozen) = (new double[N * C], new double[C], new double[N * C]);

        RmsNorm.Backward<double>(dy, x, weight, rstd, dx, dweight, N, C);
        RmsNorm.Backward<double>(dy, x, weight, rstd, dxFrozen, [], N, C);

        Assert.Equal(dx, dxFrozen);
    }

    [Theory]
    [InlineData("x", N * C - 1, C, N, N * C)]
    [InlineData("weight", N * C, C + 1, N, N * C)]
    [InlineData("rstd", N * C, C, N - 1, N * C)]
    [InlineData("y", N * C, C, N, N * C + 1)]
    public void Forward_WrongLength_ThrowsNamingArgument(string argument, int xLength, int weightLength, int rstdLength, int yLength)
    {
        var error = Assert.Throws<ArgumentException>(
            () => RmsNorm.Forward<double>(new double[xLength], new double[weightLength], new double[yLength], new double[rstdLength], N, C, Eps));

        Assert.Contains($"RmsNorm: {argument} has length", error.Message);
    }

    [Theory]
    [InlineData("dy", N * C + 1, N * C, C)]
    [InlineData("dx", N * C, 0, C)]
    [InlineData("dweight", N * C, N * C, C - 1)]
    public void Backward_WrongLength_ThrowsNamingArgument(string argument, int dyLength, int dxLength, int dweightLength)
    {
        var error = Assert.Throws<ArgumentException>(
            () => RmsNorm.Backward<double>(
                new double[dyLength], new double[N * C], new double[C], new double[N], new double[dxLength], new double[dweightLength], N, C));

        Assert.Contains($"RmsNorm: {argument} has length", error.Message);
    }

    [Fact]
    public void Float_AgreesWithDouble()
    {
        const int n = 70, c = 96;
        var (x, weight, dy) = (OpAssert.FloatExact(n * c, 8, 2), OpAssert.FloatExact(c, 9), OpAssert.FloatExact(n * c, 10));
        var (y, rstd) = Forward(x, weight, n, c);
        var (dx, dweight) = (new double[n * c], new double[c]);
        RmsNorm.Backward<double>(dy, x, weight, rstd, dx, dweight, n, c);

        var (xF, weightF) = (OpAssert.ToFloat(x), OpAssert.ToFloat(weight));
        var (yF, rstdF, dxF, dweightF) = (new float[n * c], new float[n], new float[n * c], new float[c]);
        RmsNorm.Forward<float>(xF, weightF, yF, rstdF, n, c, 1e-5f);
        RmsNorm.Backward<float>(OpAssert.ToFloat(dy), xF, weightF, rstdF, dxF, dweightF, n, c);

        OpAssert.Close(y, yF, 1e-5, "y");
        OpAssert.Close(rstd, rstdF, 1e-5, "rstd");
        OpAssert.Close(dx, dxF, 1e-5, "dx");
        OpAssert.Close(dweight, dweightF, 1e-5, "dweight");
    }

    [Fact]
    public void ThreadCount_DoesNotChangeBits()
    {
        const int n = 301, c = 203; // several row blocks, odd vector tail
        Assert.True(RowChunks.Count(n, c) > 2);
        var x = OpAssert.ToFloat(GradCheck.Random(n * c, 11));
        var weight = OpAssert.ToFloat(GradCheck.Random(c, 12));
        var dy = OpAssert.ToFloat(GradCheck.Random(n * c, 13));

        OpAssert.SameBitsForThreadCounts(() =>
        {
            var (y, rstd, dx, dweight) = (new float[n * c], new float[n], new float[n * c], new float[c]);
            RmsNorm.Forward<float>(x, weight, y, rstd, n, c, 1e-6f);
            RmsNorm.Backward<float>(dy, x, weight, rstd, dx, dweight, n, c);
            return [y, rstd, dx, dweight];
        });
    }

    private static (double[] Y, double[] Rstd) Forward(double[] x, double[] weight, int n, int c)
    {
        var (y, rstd) = (new double[n * c], new double[n]);
        RmsNorm.Forward<double>(x, weight, y, rstd, n, c, Eps);
        return (y, rstd);
    }

    private static (double[] Y, double[] Rstd) Naive(double[] x, double[] weight, int n, int c)
    {
        var (y, rstd) = (new double[n * c], new double[n]);
        for (var r = 0; r < n; r++)
        {
            var meanSquare = 0.0;
            for (var j = 0; j < c; j++)
            {
                meanSquare += x[r * c + j] * x[r * c + j] / c;
            }
            rstd[r] = 1 / Math.Sqrt(meanSquare + Eps);
            for (var j = 0; j < c; j++)
            {
                y[r * c + j] = x[r * c + j] * rstd[r] * weight[j];
            }
        }
        return (y, rstd);
    }
}
