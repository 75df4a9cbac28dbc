using Pipeline.ML.Compute;

namespace Pipeline.ML.Kernels;

/// <summary>One chunk of a float32 gemm: a rectangle of C (<see cref="GemmGrid"/>), computed with its own packing,
/// so the threads share nothing but the inputs.</summary>
internal readonly struct GemmChunk<TKernel>(GemmOperands g, GemmGrid grid, GemmPath path) : IParallelBody
    where TKernel : struct, IMicroKernel
{
    public void Run(int chunk)
    {
        var (i0, i1, j0, j1) = grid.Rectangle(chunk);
        if (path == GemmPath.Packed)
        {
            PackedGemm<TKernel>.Run(g, i0, i1, j0, j1);
        }
        else
        {
            DirectGemm.Run(g, i0, i1, j0, j1, vectors: path == GemmPath.DirectVector);
        }
    }
}
