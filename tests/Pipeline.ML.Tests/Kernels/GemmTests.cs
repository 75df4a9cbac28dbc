using Pipeline.ML.Kernels;

namespace Pipeline.ML.Tests.Kernels;

/// <summary>Every float32 kernel this CPU runs, against a double-precision naive product: all transpose
/// combinations, odd sizes around the tile and block edges, strided operands, overwrite and accumulate.</summary>
public sealed class GemmTests
{
    /// <summary>(m, n, k) triples: 1, 7, 31, 33, 95, 130, 257 in every role, k = 257 crossing a K block; m ≤ 4
    /// (and n ≤ 4 with B transposed) take the unpacked path, whose vector blocks are 32 and 8 columns wide; (3, 700, 300)
    /// is a decode-sized product split over threads.</summary>
    private static readonly (int M, int N, int K)[] Sizes =
    [
        (1, 1, 1), (1, 7, 31), (7, 1, 33), (31, 33, 1), (33, 31, 7), (95, 130, 33), (130, 95, 31),
        (257, 33, 7), (7, 257, 95), (31, 7, 257), (33, 95, 130), (130, 1, 257), (2, 70, 19), (4, 33, 40),
        (130, 3, 40), (3, 700, 300),
    ];

    public static TheoryData<GemmKernel, bool, bool> KernelsAndTransposes()
    {
        var data = new TheoryData<GemmKernel, bool, bool>();
        foreach (var kernel in Enum.GetValues<GemmKernel>().Where(k => k <= Gemm.DetectedKernel))
        {
            foreach (var (transA, transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
            {
                data.Add(kernel, transA, transB);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(KernelsAndTransposes))]
    public void Multiply_OddSizes_MatchesDoubleReference(GemmKernel kernel, bool transA, bool transB)
    {
        foreach (var (m, n, k) in Sizes)
        {
            foreach (var accumulate in new[] { false, true })
            {
                Check(kernel, GemmCase.Random(transA, transB, m, n, k), accumulate);
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelsAndTransposes))]
    public void Multiply_StridedOperands_ReadsAndWritesOnlyTheMatrices(GemmKernel kernel, bool transA, bool transB)
    {
        foreach (var (m, n, k) in new[] { (7, 33, 31), (33, 7, 95), (95, 130, 257) })
        {
            Check(kernel, GemmCase.Random(transA, transB, m, n, k, pad: 5), accumulate: true);
            Check(kernel, GemmCase.Random(transA, transB, m, n, k, pad: 16), accumulate: false);
        }
    }

    [Theory]
    [MemberData(nameof(KernelsAndTransposes))]
    public void Multiply_SeveralCacheBlocks_MatchesDoubleReference(GemmKernel kernel, bool transA, bool transB)
    {
        // n > NC (512) and k > KC (256): several B blocks and K blocks; m > MB (1536): several A blocks.
        Check(kernel, GemmCase.Random(transA, transB, 13, 1030, 300), accumulate: true);
        Check(kernel, GemmCase.Random(transA, transB, 1600, 9, 5), accumulate: false);
    }

    [Theory]
    [InlineData(0, 5, 3)]
    [InlineData(5, 0, 3)]
    [InlineData(0, 0, 0)]
    public void Multiply_EmptyOutput_DoesNothing(int m, int n, int k)
    {
        var c = new float[] { 42 };
        Gemm.Multiply<float>(false, false, m, n, k, new float[m * k], Math.Max(k, 1), new float[k * n], Math.Max(n, 1),
            c, Math.Max(n, 1), accumulate: false);
        Assert.Equal(42f, c[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Multiply_EmptySum_ZeroesOrKeepsC(bool accumulate)
    {
        var c = new float[] { 1, 2, 3, 4, 5, 6, 99 }; // (2, 3) with ldc 3, then one element past it
        Gemm.Multiply<float>(false, false, 2, 3, 0, [], 1, [], 3, c, 3, accumulate);
        Assert.Equal(accumulate ? [1, 2, 3, 4, 5, 6, 99] : new float[] { 0, 0, 0, 0, 0, 0, 99 }, c);
    }

    [Fact]
    public void Multiply_Double_MatchesNaiveLoop()
    {
        // (2, 3)·(3, 2) with A transposed in storage: [[1,2,3],[4,5,6]]·[[1,0],[0,1],[1,1]].
        double[] aT = [1, 4, 2, 5, 3, 6];
        double[] b = [1, 0, 0, 1, 1, 1];
        var c = new double[] { 10, 10, 10, 10 };
        Gemm.Multiply<double>(true, false, 2, 2, 3, aT, 2, b, 2, c, 2, accumulate: true);
        Assert.Equal([14, 15, 20, 21], c);
    }

    [Fact]
    public void Multiply_BadStride_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply<float>(false, false, 2, 2, 2, new float[4], 1, new float[4], 2, new float[4], 2, false));
    }

    private static void Check(GemmKernel kernel, GemmCase g, bool accumulate)
    {
        var c = (float[])g.C0.Clone();
        Gemm.ForcedKernel = kernel;
        try
        {
            Gemm.Multiply<float>(g.TransA, g.TransB, g.M, g.N, g.K, g.A, g.Lda, g.B, g.Ldb, c, g.Ldc, accumulate);
        }
        finally
        {
            Gemm.ForcedKernel = null;
        }
        g.AssertMatches(c, accumulate);
    }
}
