using System.Runtime.Intrinsics.X86;

namespace Pipeline.ML.Kernels;

/// <summary>
/// AVX-512 packing of one panel, (kc, width) with width ≤ 16 or a multiple of 16, from either source layout.
/// Lanes past <c>valid</c> (a ragged edge panel) are written as zeros, through masked loads, so nothing is read
/// outside the source matrix.
/// </summary>
internal static unsafe class GemmPacking512
{
    /// <summary>The source stores each k step's lanes adjacently: lane l of step p at src[p·ld + l].</summary>
    public static void Copy(float* src, nint ld, int valid, int kc, float* dst, int width)
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

    /// <summary>The source stores each lane as a row along k: lane l of step p at src[l·ld + p].</summary>
    public static void Transposed(float* src, nint ld, int valid, int kc, float* dst, int width)
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
}
