using Pipeline.ML.Compute;

namespace Pipeline.ML.Kernels;

/// <summary>One thread's share of a float32 gemm: a band of C rows (or columns) whole tiles wide, computed with its
/// own packing, so the threads share nothing but the inputs.</summary>
internal readonly struct GemmChunk<TKernel>(GemmOperands g, int chunks, bool byRows, GemmPath path) : IParallelBody
    where TKernel : struct, IMicroKernel
{
    public void Run(int chunk)
    {
        var (i0, i1, j0, j1) = (0, g.M, 0, g.N);
        if (byRows)
        {
            (i0, i1) = Band(chunk, g.M, path == GemmPath.Packed ? TKernel.MR : 1);
        }
        else
        {
            // 32 columns: the direct loop's widest block.
            (j0, j1) = Band(chunk, g.N, path == GemmPath.Packed ? TKernel.NR : 32);
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

    /// <summary>Chunk's part of [0, extent) in whole tiles: chunks differ by at most one tile.</summary>
    private (int Start, int End) Band(int chunk, int extent, int tile)
    {
        var tiles = (extent + tile - 1) / tile;
        var start = (int)((long)chunk * tiles / chunks) * tile;
        var end = (int)((long)(chunk + 1) * tiles / chunks) * tile;
        return (Math.Min(extent, start), Math.Min(extent, end));
    }
}
