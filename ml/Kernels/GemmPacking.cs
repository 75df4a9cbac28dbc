using System.Runtime.CompilerServices;

namespace Pipeline.ML.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the layout the micro-kernel streams: A as MR-row panels, each (kc, MR)
/// with the MR values of one k step adjacent; B as NR-column panels, each (kc, NR). Ragged edge panels are
/// zero-padded, so the kernel always runs a full tile. The four transpose combinations differ only here:
/// a stored row along k (A untransposed, B transposed) is transposed into the panel, a stored row along M or N is
/// copied as is. Kernels that use AVX-512 pack with <see cref="GemmPacking512"/> (16×16 register transposes,
/// masked copies); the loops here are the portable version.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[i0 .. i0+rows, p0 .. p0+kc] into ceil(rows/MR) panels at <paramref name="dst"/>.</summary>
    public static void PackA<TKernel>(in GemmOperands g, int i0, int rows, int p0, int kc, float* dst)
        where TKernel : struct, IMicroKernel
    {
        if (TKernel.UsesAvx512)
        {
            GemmPacking512.PackA(g, i0, rows, p0, kc, dst, TKernel.MR);
            return;
        }
        var mr = TKernel.MR;
        for (var r0 = 0; r0 < rows; r0 += mr, dst += mr * kc)
        {
            var height = Math.Min(mr, rows - r0);
            if (g.TransA)
            {
                // Stored (K, M): the MR values of one k step are adjacent in memory.
                var src = g.A + (p0 * g.Lda) + i0 + r0;
                for (var p = 0; p < kc; p++, src += g.Lda)
                {
                    CopyPadded(src, dst + (p * mr), height, mr);
                }
            }
            else
            {
                // Stored (M, K): each row runs along k; scatter it into column r of the panel.
                for (var r = 0; r < height; r++)
                {
                    var src = g.A + ((i0 + r0 + r) * g.Lda) + p0;
                    for (var p = 0; p < kc; p++)
                    {
                        dst[(p * mr) + r] = src[p];
                    }
                }
                ZeroLanes(dst, kc, height, mr);
            }
        }
    }

    /// <summary>Packs op(B)[p0 .. p0+kc, j0 .. j0+cols] into ceil(cols/NR) panels at <paramref name="dst"/>.</summary>
    public static void PackB<TKernel>(in GemmOperands g, int p0, int kc, int j0, int cols, float* dst)
        where TKernel : struct, IMicroKernel
    {
        if (TKernel.UsesAvx512)
        {
            GemmPacking512.PackB(g, p0, kc, j0, cols, dst, TKernel.NR);
            return;
        }
        var nr = TKernel.NR;
        for (var c0 = 0; c0 < cols; c0 += nr, dst += nr * kc)
        {
            var width = Math.Min(nr, cols - c0);
            if (!g.TransB)
            {
                // Stored (K, N): one k step's NR values are adjacent.
                var src = g.B + (p0 * g.Ldb) + j0 + c0;
                for (var p = 0; p < kc; p++, src += g.Ldb)
                {
                    CopyPadded(src, dst + (p * nr), width, nr);
                }
            }
            else
            {
                // Stored (N, K): each row runs along k; scatter it into column c of the panel.
                for (var c = 0; c < width; c++)
                {
                    var src = g.B + ((j0 + c0 + c) * g.Ldb) + p0;
                    for (var p = 0; p < kc; p++)
                    {
                        dst[(p * nr) + c] = src[p];
                    }
                }
                ZeroLanes(dst, kc, width, nr);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPadded(float* src, float* dst, int count, int width)
    {
        Buffer.MemoryCopy(src, dst, count * sizeof(float), count * sizeof(float));
        for (var i = count; i < width; i++)
        {
            dst[i] = 0;
        }
    }

    /// <summary>Zeroes lanes [used, width) of every k step of a panel: the padding of a ragged edge panel.</summary>
    private static void ZeroLanes(float* panel, int kc, int used, int width)
    {
        if (used == width)
        {
            return;
        }
        for (var p = 0; p < kc; p++)
        {
            new Span<float>(panel + (p * width) + used, width - used).Clear();
        }
    }
}
