using Pipeline.ML.Compute;

namespace Pipeline.ML.Kernels;

/// <summary>The float32 path of <see cref="Gemm.Multiply{T}"/>: degenerate shapes, then the packed kernel on one
/// thread or split over <see cref="CpuParallel.Threads"/>. Results do not depend on the thread count.</summary>
internal static unsafe class FloatGemm
{
    /// <summary>Below this many multiply-adds (~1.5 µs on one core) a second thread costs more than it saves: handing
    /// it a chunk takes ~0.5 µs when it is spinning, and each thread packs the shared operand again.</summary>
    internal const long ParallelMinMacs = 1 << 18;

    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            // An empty sum: C = 0, or C unchanged when accumulating.
            for (var i = 0; i < m && !accumulate; i++)
            {
                c.Slice(i * ldc, n).Clear();
            }
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (SkinnyGemm.Suits(transA, transB, m) && Gemm.Kernel != GemmKernel.Scalar)
            {
                SkinnyGemm.Multiply(pa, lda, pb, ldb, pc, ldc, m, n, k, accumulate);
                return;
            }
            var g = new GemmOperands(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            switch (Gemm.Kernel)
            {
                case GemmKernel.Vector512:
                    Run<MicroKernel512>(g);
                    break;
                case GemmKernel.Vector256:
                    Run<MicroKernel256>(g);
                    break;
                default:
                    Run<MicroKernelScalar>(g);
                    break;
            }
        }
    }

    private static void Run<TKernel>(in GemmOperands g)
        where TKernel : struct, IMicroKernel
    {
        var path = !DirectGemm.Suits(g) ? GemmPath.Packed
            : TKernel.NR >= 16 ? GemmPath.DirectVector
            : GemmPath.DirectScalar;
        var macs = (long)g.M * g.N * g.K;
        var threads = macs < ParallelMinMacs ? 1 : CpuParallel.Threads;
        var grid = path == GemmPath.Packed
            ? GemmGrid.Plan(g.M, g.N, threads, TKernel.MR, TKernel.NR)
            : GemmGrid.Plan(g.M, g.N, threads, 1, 32); // rows, or the direct loop's 32-column blocks
        var body = new GemmChunk<TKernel>(g, grid, path);
        var chunks = grid.Chunks;
        if (chunks == 1)
        {
            body.Run(0);
            return;
        }
        CpuParallel.For(chunks, body);
    }
}
