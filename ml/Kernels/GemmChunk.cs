using Pipeline.ML.Compute;

namespace Pipeline.ML.Kernels;

/// <summary>One thread's share of a float32 gemm: a band of C rows (or columns) a whole number of units wide (the
/// kernel's tile, or the direct loop's row or 32-column block), computed with its own packing, so the threads share
/// nothing but the inputs.</summary>
internal readonly struct GemmChunk<TKernel>(GemmOperands g, int chunks, bool byRows, int unit, GemmPath path) : IParallelBody
    where TKernel : struct, IMicroKernel
{
    public void Run(int chunk)
    {
        var (i0, i1, j0, j1) = (0, g.M, 0, g.N);
        if (byRows)
        {
            (i0, i1) = Band(chunk, g.M);
        }
        else
        {
            (j0, j1) = Band(chunk, g.N);
        }
        if (path == GemmPath.Packed)
        {
            PackedGemm<TKernel>.Run(g, i0, i1, j0, j1);
        }
        else
        {
            DirectGemm.Run(g, i0, i1, j0, j1, vectors: path == GemmPath.DirectVector);
        }
    }

    /// <summary>Chunk's part of [0, extent) in whole units: chunks differ by at most one unit.</summary>
    private (int Start, int End) Band(int chunk, int extent)
    {
        var units = (extent + unit - 1) / unit;
        var start = (int)((long)chunk * units / chunks) * unit;
        var end = (int)((long)(chunk + 1) * units / chunks) * unit;
        return (Math.Min(extent, start), Math.Min(extent, end));
    }
}
