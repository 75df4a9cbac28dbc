using Pipeline.ML.Compute;
using Pipeline.ML.Kernels;

namespace Pipeline.ML.Tests.Kernels;

/// <summary>The float32 gemm splits C over threads without changing a single bit of the result.</summary>
[Collection("CpuParallel")]
public sealed class GemmThreadingTests
{
    public static TheoryData<GemmKernel> Kernels() => new(Enum.GetValues<GemmKernel>().Where(k => k <= Gemm.DetectedKernel));

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Multiply_AnyThreadCount_BitIdentical(GemmKernel kernel)
    {
        // Both split directions (rows when m ≥ n, else columns) of the packed and of the unpacked (skinny) path,
        // each large enough to run in parallel.
        foreach (var (m, n, k, transA, transB) in new[]
        {
            (257, 130, 95, false, true), (95, 600, 33, true, false), (1, 2100, 500, false, false), (3000, 2, 200, false, true),
        })
        {
            var g = GemmCase.Random(transA, transB, m, n, k, pad: 3);
            var one = Run(kernel, g, 1);
            foreach (var threads in new[] { 2, 3, 4 })
            {
                Assert.Equal(Bits(one), Bits(Run(kernel, g, threads)));
            }
            g.AssertMatches(one, accumulate: true);
        }
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    private static float[] Run(GemmKernel kernel, GemmCase g, int threads)
    {
        var c = (float[])g.C0.Clone();
        var saved = CpuParallel.Threads;
        CpuParallel.Threads = threads;
        Gemm.ForcedKernel = kernel;
        try
        {
            Gemm.Multiply<float>(g.TransA, g.TransB, g.M, g.N, g.K, g.A, g.Lda, g.B, g.Ldb, c, g.Ldc, accumulate: true);
        }
        finally
        {
            Gemm.ForcedKernel = null;
            CpuParallel.Threads = saved;
        }
        return c;
    }
}
