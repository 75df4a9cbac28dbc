namespace Pipeline.ML.Kernels;

/// <summary>
/// How C is cut into chunks for <see cref="Compute.CpuParallel"/>: RowBands × ColBands rectangles, numbered
/// row-major, each side a whole number of units (the kernel's tile, or the direct loop's row or 32-column block).
/// Only the problem's shape and the thread count decide it, and no cut changes what an element sums, so any
/// grid gives the same bits.
/// </summary>
internal readonly struct GemmGrid(int m, int n, int rowUnit, int colUnit, int rowBands, int colBands)
{
    /// <summary>Multiply-adds from which C is cut into several chunks per thread: a thread that the OS parks for a
    /// while (other processes on the machine) then delays the loop by one small chunk instead of half the work.
    /// Only for the largest products, as every extra band packs its operands again (~1.5% at 2048³).</summary>
    private const long OversplitMacs = 1L << 31;

    public int Chunks => rowBands * colBands;

    /// <summary>The rectangle [I0, I1) × [J0, J1) of C that chunk <paramref name="chunk"/> computes.</summary>
    public (int I0, int I1, int J0, int J1) Rectangle(int chunk)
    {
        var (i0, i1) = Band(chunk / colBands, rowBands, m, rowUnit);
        var (j0, j1) = Band(chunk % colBands, colBands, n, colUnit);
        return (i0, i1, j0, j1);
    }

    /// <summary>
    /// The grid for <paramref name="threads"/> threads: as many chunks as threads (several per thread for the
    /// largest products), arranged to pack the least. Chunk (r, c) packs its rows of A and its columns of B, so a
    /// grid of R × C bands packs C·M + R·N values per unit of K.
    /// </summary>
    public static GemmGrid Plan(int m, int n, long macs, int threads, int rowUnit, int colUnit, bool oversplit)
    {
        var rowTiles = (m + rowUnit - 1) / rowUnit;
        var colTiles = (n + colUnit - 1) / colUnit;
        var target = threads * (oversplit && macs >= OversplitMacs ? 4 : 1);
        var (bestRows, bestCols) = (1, 1);
        for (var rows = 1; rows <= Math.Min(target, rowTiles); rows++)
        {
            var cols = Math.Min(target / rows, colTiles);
            var (chunks, best) = (rows * cols, bestRows * bestCols);
            var cost = ((double)cols * m) + ((double)rows * n);
            var bestCost = ((double)bestCols * m) + ((double)bestRows * n);
            if (chunks > best || (chunks == best && cost < bestCost))
            {
                (bestRows, bestCols) = (rows, cols);
            }
        }
        return new GemmGrid(m, n, rowUnit, colUnit, bestRows, bestCols);
    }

    /// <summary>Band <paramref name="index"/> of <paramref name="bands"/> over [0, extent) in whole units: bands
    /// differ by at most one unit.</summary>
    private static (int Start, int End) Band(int index, int bands, int extent, int unit)
    {
        var units = (extent + unit - 1) / unit;
        var start = (int)((long)index * units / bands) * unit;
        var end = (int)((long)(index + 1) * units / bands) * unit;
        return (Math.Min(extent, start), Math.Min(extent, end));
    }
}
