using Pipeline.ML.Compute;

namespace Pipeline.ML.Kernels;

/// <summary>One thread's share of a float32 gemm: a band of C rows (or columns) whole tiles wide, computed with its
/// own packing, so the threads share nothing but the inputs.</summary>
internal readonly struct GemmChunk<TKernel>(GemmOperands g, int chunks, bool byRows) : IParallelBody
    where TKernel : struct, IMicroKernel
{
    public void Run(int chunk)
    {
        if (byRows)
        {
            var (i0, i1) = Band(chunk, g.M, TKernel.MR);
            PackedGemm<TKernel>.Run(g, i0, i1, 0, g.N);
        }
        else
        {
            var (j0, j1) = Band(chunk, g.N, TKernel.NR);
            PackedGemm<TKernel>.Run(g, 0, g.M, j0, j1);
        }
    }

    /// <summary>Chunk's part of [0, extent) in whole tiles: chunks differ by at most one tile.</summary>
    private (int Start, int End) Band(int chunk, int extent, int tile)
    {
        var tiles = (extent + tile - 1) / tile;
        var start = (int)((long)chunk * tiles / chunks) * tile;
        var end = (int)((long)(chunk + 1) * tiles / chunks) * tile;
        return (start, Math.Min(extent, end));
    }
}
