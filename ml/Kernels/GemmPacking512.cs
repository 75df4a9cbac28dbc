using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.ML.Kernels;

/// <summary>
/// AVX-512 versions of <see cref="GemmPacking"/>'s loops, for panels of width ≤ 16 or a multiple of 16. Ragged
/// edge lanes are written as zeros through masked loads, so nothing is read outside the source matrix. Where the
/// A panel is 8 wide, two full panels are packed per pass: one 16-float load (or one 16×16 transpose) fills both,
/// so every source cache line is visited once and no transpose runs half empty.
/// </summary>
internal static unsafe class GemmPacking512
{
    /// <summary>op(A)[i0 .. i0+rows, p0 .. p0+kc] into ceil(rows/mr) panels (kc, mr) at <paramref name="dst"/>.</summary>
    public static void PackA(in GemmOperands g, int i0, int rows, int p0, int kc, float* dst, int mr)
    {
        for (var r0 = 0; r0 < rows; dst += mr * kc)
        {
            var pair = mr == 8 && r0 + 16 <= rows;
            if (g.TransA)
            {
                // Stored (K, M): the values of one k step are adjacent.
                var src = g.A + (p0 * g.Lda) + i0 + r0;
                if (pair)
                {
                    CopyPair8(src, g.Lda, kc, dst);
                }
                else
                {
                    Copy(src, g.Lda, Math.Min(mr, rows - r0), kc, dst, mr);
                }
            }
            else
            {
                // Stored (M, K): each row runs along k.
                var src = g.A + ((i0 + r0) * g.Lda) + p0;
                if (pair)
                {
                    TransposedPair8(src, g.Lda, kc, dst);
                }
                else
                {
                    Transposed(src, g.Lda, Math.Min(mr, rows - r0), kc, dst, mr);
                }
            }
            r0 += pair ? 2 * mr : mr;
            dst += pair ? mr * kc : 0; // the second panel of the pair
        }
    }

    /// <summary>op(B)[p0 .. p0+kc, j0 .. j0+cols] into ceil(cols/nr) panels (kc, nr) at <paramref name="dst"/>.</summary>
    public static void PackB(in GemmOperands g, int p0, int kc, int j0, int cols, float* dst, int nr)
    {
        for (var c0 = 0; c0 < cols; c0 += nr, dst += nr * kc)
        {
            var width = Math.Min(nr, cols - c0);
            if (g.TransB)
            {
                Transposed(g.B + ((j0 + c0) * g.Ldb) + p0, g.Ldb, width, kc, dst, nr); // stored (N, K)
            }
            else
            {
                Copy(g.B + (p0 * g.Ldb) + j0 + c0, g.Ldb, width, kc, dst, nr); // stored (K, N)
            }
        }
    }

    /// <summary>One panel from a source storing each k step's lanes adjacently: lane l of step p at src[p·ld + l].</summary>
    private static void Copy(float* src, nint ld, int valid, int kc, float* dst, int width)
    {
        for (var part = 0; part < width; part += 16)
        {
            var storeMask = Transpose16.Mask(Math.Min(16, width - part));
            var loadMask = Transpose16.Mask(Math.Clamp(valid - part, 0, 16));
            var s = src + part;
            var d = dst + part;
            for (var p = 0; p < kc; p++, s += ld, d += width)
            {
                Avx512F.MaskStore(d, storeMask, Avx512F.MaskLoad(s, loadMask, default));
            }
        }
    }

    /// <summary>Two adjacent full 8-wide panels laid out as for <see cref="Copy"/>.</summary>
    private static void CopyPair8(float* src, nint ld, int kc, float* dst)
    {
        var second = dst + (8 * kc);
        for (var p = 0; p < kc; p++, src += ld)
        {
            var v = Vector512.Load(src);
            Vector256.Store(v.GetLower(), dst + (8 * p));
            Vector256.Store(v.GetUpper(), second + (8 * p));
        }
    }

    /// <summary>One panel from a source storing each lane as a row along k: lane l of step p at src[l·ld + p].</summary>
    private static void Transposed(float* src, nint ld, int valid, int kc, float* dst, int width)
    {
        for (var part = 0; part < width; part += 16)
        {
            var storeMask = Transpose16.Mask(Math.Min(16, width - part));
            var rows = Math.Clamp(valid - part, 0, 16);
            var s = src + (part * ld);
            for (var p = 0; p < kc; p += 16)
            {
                Transpose16.Block(s + p, ld, rows, Math.Min(16, kc - p), dst + (p * width) + part, width, storeMask);
            }
        }
    }

    /// <summary>Two adjacent full 8-wide panels laid out as for <see cref="Transposed"/>.</summary>
    private static void TransposedPair8(float* src, nint ld, int kc, float* dst)
    {
        var all = Transpose16.Mask(16);
        var second = dst + (8 * kc);
        for (var p = 0; p < kc; p += 16)
        {
            Transpose16.Block(src + p, ld, 16, Math.Min(16, kc - p), dst + (8 * p), 8, all, second + (8 * p));
        }
    }
}
