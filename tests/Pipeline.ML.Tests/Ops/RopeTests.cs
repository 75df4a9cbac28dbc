using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

public class RopeTests
{
    [Theory]
    [InlineData(6)]  // 3 pairs: scalar only
    [InlineData(26)] // 13 pairs in double: a 512-bit step, a 256-bit step and a scalar tail
    public void Backward_TinyShapes_MatchesFiniteDifferences(int headDim)
    {
        // Positions unsorted and repeated.
        const int N = 4, H = 3;
        var table = new RopeTable<double>(9, headDim, 10000.0);
        int[] positions = [0, 7, 2, 7];
        var inputs = new Dictionary<string, double[]> { ["x"] = GradCheck.Random(N * H * headDim, seed: 1) };
        GradCheck.Check(
            inputs,
            ["x"],
            p =>
            {
                var x = (double[])p["x"].Clone();
                Rope.Forward<double>(x, positions, table, N, H);
                return x;
            },
            (_, dout, grads) =>
            {
                // Backward turns dout into dx in place (it cannot accumulate), so accumulate here.
                var dx = (double[])dout.Clone();
                Rope.Backward<double>(dx, positions, table, N, H);
                for (var i = 0; i < dx.Length; i++)
                {
                    grads["x"][i] += dx[i];
                }
            });
    }

    [Fact]
    public void Forward_Float_MatchesHfRotateHalfFormulaBitForBit()
    {
        // HF: x·cat(cos, cos) + rotate_half(x)·cat(sin, sin), rotate_half(x) = cat(−x[D/2:], x[:D/2]), each product
        // rounded to float32. D = 40: 20 pairs = one 512-bit step and a tail.
        const int N = 3, H = 2, D = 40;
        var table = new RopeTable<float>(50, D, 500000.0);
        int[] positions = [3, 49, 17];
        var x = GradCheck.Random(N * H * D, seed: 2).Select(v => (float)v).ToArray();
        var actual = (float[])x.Clone();
        Rope.Forward<float>(actual, positions, table, N, H);

        for (var row = 0; row < N * H; row++)
        {
            var pos = positions[row / H];
            for (var j = 0; j < D; j++)
            {
                var i = j % (D / 2);
                var rotated = j < D / 2 ? -x[row * D + j + D / 2] : x[row * D + j - D / 2];
                var expected = x[row * D + j] * table.Cos[pos * (D / 2) + i] + rotated * table.Sin[pos * (D / 2) + i];
                Assert.Equal(expected, actual[row * D + j]);
            }
        }
    }

    [Fact]
    public void Table_Float32_MatchesHfFloat32Recomputation()
    {
        const int MaxPositions = 2048, D = 64;
        const double Theta = 10000.0;
        var table = new RopeTable<float>(MaxPositions, D, Theta);
        var wide = new RopeTable<double>(MaxPositions, D, Theta);
        Assert.Equal(MaxPositions * D / 2, table.Cos.Length);
        Assert.Equal(MaxPositions * D / 2, table.Sin.Length);
        for (var pos = 0; pos < MaxPositions; pos++)
        {
            for (var i = 0; i < D / 2; i++)
            {
                var invFreq = 1f / MathF.Pow((float)Theta, (float)(2 * i) / D);
                var angle = pos * invFreq;
                var at = pos * (D / 2) + i;
                Assert.Equal(MathF.Cos(angle), table.Cos[at]);
                Assert.Equal(MathF.Sin(angle), table.Sin[at]);
                // The double table holds the same float32 values, widened.
                Assert.Equal((double)table.Cos[at], wide.Cos[at]);
                Assert.Equal((double)table.Sin[at], wide.Sin[at]);
                // And the float32 pipeline is the textbook angle pos / θ^(2i/D) up to its rounding.
                var exact = pos / Math.Pow(Theta, 2.0 * i / D);
                Assert.Equal(Math.Cos(exact), table.Cos[at], 2e-3);
            }
        }
    }

    [Fact]
    public void Forward_RandomInput_PreservesEveryPairNorm()
    {
        const int N = 5, H = 2, D = 40;
        var table = new RopeTable<double>(100, D, 10000.0);
        int[] positions = [1, 99, 50, 0, 13];
        var x = GradCheck.Random(N * H * D, seed: 3);
        var y = (double[])x.Clone();
        Rope.Forward<double>(y, positions, table, N, H);
        for (var row = 0; row < N * H; row++)
        {
            for (var i = 0; i < D / 2; i++)
            {
                var (a, b) = (row * D + i, row * D + i + D / 2);
                // cos² + sin² of a float32 pair is 1 only to float32 precision.
                Assert.Equal(x[a] * x[a] + x[b] * x[b], y[a] * y[a] + y[b] * y[b], 1e-6);
            }
        }
    }

    [Fact]
    public void Forward_PositionZero_IsIdentity()
    {
        const int N = 3, H = 4, D = 64;
        var table = new RopeTable<float>(8, D, 10000.0);
        var x = GradCheck.Random(N * H * D, seed: 4).Select(v => (float)v).ToArray();
        var y = (float[])x.Clone();
        Rope.Forward<float>(y, [0, 0, 0], table, N, H);
        Assert.Equal(x, y);
    }

    [Fact]
    public void Backward_AfterForward_RestoresInput()
    {
        const int N = 6, H = 3, D = 26;
        var table = new RopeTable<double>(64, D, 10000.0);
        int[] positions = [5, 63, 1, 0, 31, 7];
        var x = GradCheck.Random(N * H * D, seed: 5);
        var y = (double[])x.Clone();
        Rope.Forward<double>(y, positions, table, N, H);
        Rope.Backward<double>(y, positions, table, N, H);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i], y[i], 1e-6);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(-2)]
    public void Table_BadHeadDim_Throws(int headDim)
    {
        var e = Assert.Throws<ArgumentException>(() => new RopeTable<float>(16, headDim, 10000.0));
        Assert.Contains("headDim", e.Message);
        Assert.Contains(headDim.ToString(), e.Message);
    }

    [Fact]
    public void Forward_PositionOutOfTable_ThrowsNamingTheRow()
    {
        var table = new RopeTable<float>(4, 8, 10000.0);
        var x = new float[3 * 2 * 8];
        var e = Assert.Throws<ArgumentException>(() => Rope.Forward<float>(x, [0, 1, 4], table, 3, 2));
        Assert.Contains("Rope.Forward", e.Message);
        Assert.Contains("positions[2] = 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => Rope.Backward<float>(x, [-1, 1, 2], table, 3, 2));
        Assert.Contains("positions[0] = -1", e.Message);
    }

    [Fact]
    public void Forward_WrongLengths_ThrowWithExpectedAndActual()
    {
        var table = new RopeTable<float>(4, 8, 10000.0);
        var e = Assert.Throws<ArgumentException>(() => Rope.Forward<float>(new float[47], [0, 1, 2], table, 3, 2));
        Assert.Contains("x", e.ParamName);
        Assert.Contains("48", e.Message);
        Assert.Contains("47", e.Message);
        e = Assert.Throws<ArgumentException>(() => Rope.Forward<float>(new float[48], [0, 1], table, 3, 2));
        Assert.Equal("positions", e.ParamName);
    }
}
