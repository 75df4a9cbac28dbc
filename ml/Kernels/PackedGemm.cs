using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.ML.Kernels;

/// <summary>
/// The BLIS loop nest (Van Zee &amp; van de Geijn, "BLIS: A Framework for Rapidly Instantiating BLAS
/// Functionality", 2015) around one micro-kernel, for one rectangle of C. Blocks are sized for Zen 5 (48 KB L1d,
/// 1 MB L2 per core): the packed B block (KC × NC = 512 KB) stays in L2 while every MR-row A panel (MR × KC, 8 KB)
/// sits in L1 and sweeps across it; the packed A block (MB × KC) lives in L3 and is packed once per K block.
/// Each C element is summed in the same order whatever rectangle it falls in, so splitting C over threads
/// never changes a result.
/// </summary>
internal static unsafe class PackedGemm<TKernel>
    where TKernel : struct, IMicroKernel
{
    public const int KC = 256;
    public const int NC = 512;
    private const int MBTarget = 1536;

    private static int MB => MBTarget / TKernel.MR * TKernel.MR;

    /// <summary>A stored transposed, (K, M), is read in place when M (its row stride) is at most this: an A panel's
    /// k steps are then close enough together for the caches, and skipping the copy pays on the backward pass's
    /// dW = dYᵀ·X (small M and N, long K, so packing is a large share of the work). B in place measured no
    /// better than packed B (its panels are re-read from L2 for every A panel), so B is always packed.</summary>
    private const int InPlaceMaxStride = 512;

    /// <summary>C[i0..i1, j0..j1] (=|+=) op(A)[i0..i1, :] · op(B)[:, j0..j1].</summary>
    public static void Run(in GemmOperands g, int i0, int i1, int j0, int j1)
    {
        var (mr, nr) = (TKernel.MR, TKernel.NR);
        var scratch = GemmScratch.Current;
        var packedA = scratch.A((nint)MB * KC);
        var packedB = scratch.B((nint)KC * NC);
        var tile = scratch.Tile(mr * nr);
        var aInPlace = g.TransA && g.Lda <= InPlaceMaxStride;
        for (var ib = i0; ib < i1; ib += MB)
        {
            var rows = Math.Min(MB, i1 - ib);
            for (var pb = 0; pb < g.K; pb += KC)
            {
                var kc = Math.Min(KC, g.K - pb);
                // The first K block overwrites C unless the caller asked to accumulate; later blocks add to it.
                var accumulate = g.Accumulate || pb > 0;
                // In place, only the ragged last panel (if any) is packed: the panels before it are read from A.
                var fullA = aInPlace ? rows / mr : 0;
                if (fullA * mr < rows)
                {
                    GemmPacking.PackA<TKernel>(g, ib + (fullA * mr), rows - (fullA * mr), pb, kc, packedA);
                }
                var a = new PanelBlock(aInPlace ? g.A + (pb * g.Lda) + ib : null, g.Lda, packedA, mr, kc, fullA);
                for (var jb = j0; jb < j1; jb += NC)
                {
                    var cols = Math.Min(NC, j1 - jb);
                    GemmPacking.PackB<TKernel>(g, pb, kc, jb, cols, packedB);
                    var b = new PanelBlock(null, 0, packedB, nr, kc, 0);
                    Sweep(g.C + (ib * g.Ldc) + jb, g.Ldc, a, rows, b, cols, kc, accumulate, tile);
                }
            }
        }
    }

    /// <summary>The two loops around the micro-kernel over one block of A × one block of B.</summary>
    private static void Sweep(float* c, nint ldc, PanelBlock a, int rows, PanelBlock b, int cols, int kc,
        bool accumulate, float* tile)
    {
        var (mr, nr) = (TKernel.MR, TKernel.NR);
        for (var ir = 0; ir < rows; ir += mr)
        {
            var (ap, aStep) = a.Panel(ir / mr);
            var height = Math.Min(mr, rows - ir);
            for (var jr = 0; jr < cols; jr += nr)
            {
                var (bp, bStep) = b.Panel(jr / nr);
                var width = Math.Min(nr, cols - jr);
                var ct = c + (ir * ldc) + jr;
                if (height == mr && width == nr)
                {
                    TKernel.Run(kc, (float*)ap, aStep, (float*)bp, bStep, ct, ldc, accumulate);
                    continue;
                }
                // Ragged edge: the full tile goes to scratch, then only its valid part to C, with the same
                // arithmetic (C + sum, or sum) as the full tiles.
                TKernel.Run(kc, (float*)ap, aStep, (float*)bp, bStep, tile, nr, accumulate: false);
                MergeTile(tile, ct, ldc, height, width, accumulate);
            }
        }
    }

    private static void MergeTile(float* tile, float* c, nint ldc, int height, int width, bool accumulate)
    {
        var nr = TKernel.NR;
        for (var r = 0; r < height; r++, tile += nr, c += ldc)
        {
            if (TKernel.UsesAvx512)
            {
                for (var j = 0; j < width; j += 16)
                {
                    var mask = Transpose16.Mask(Math.Min(16, width - j));
                    var sum = Vector512.Load(tile + j);
                    Avx512F.MaskStore(c + j, mask, accumulate ? Avx512F.MaskLoad(c + j, mask, default) + sum : sum);
                }
                continue;
            }
            for (var j = 0; j < width; j++)
            {
                c[j] = accumulate ? c[j] + tile[j] : tile[j];
            }
        }
    }
}
