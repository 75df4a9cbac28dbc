using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.ML.Kernels;

/// <summary>
/// AVX-512 transpose of a 16×16 float block in registers (unpack pairs, shuffle quads, then two rounds of 128-bit
/// lane shuffles: 64 shuffles for 256 values). Packing uses it wherever a stored row runs along k, which is
/// several times faster than scattering one float at a time.
/// </summary>
internal static unsafe class Transpose16
{
    /// <summary>Lanes [0, count) set: the mask for a partial row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>
    /// Transposes the (rows, cols) block at <paramref name="src"/> (row stride <paramref name="ld"/>) into
    /// (cols, 16): column t of the source becomes the lanes of dst + t·dstStride. Source rows ≥ rows read as zero,
    /// which is how edge panels get their padding; <paramref name="storeMask"/> selects the lanes written. With
    /// <paramref name="dstHigh"/> set, lanes 8..15 of each column go to dstHigh + t·dstStride instead (two 8-wide
    /// panels filled by one transpose).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block(float* src, nint ld, int rows, int cols, float* dst, nint dstStride, Vector512<float> storeMask,
        float* dstHigh = null)
    {
        var loadMask = Mask(cols);
        var r0 = Row(src, 0, ld, rows, loadMask);
        var r1 = Row(src, 1, ld, rows, loadMask);
        var r2 = Row(src, 2, ld, rows, loadMask);
        var r3 = Row(src, 3, ld, rows, loadMask);
        var r4 = Row(src, 4, ld, rows, loadMask);
        var r5 = Row(src, 5, ld, rows, loadMask);
        var r6 = Row(src, 6, ld, rows, loadMask);
        var r7 = Row(src, 7, ld, rows, loadMask);
        var r8 = Row(src, 8, ld, rows, loadMask);
        var r9 = Row(src, 9, ld, rows, loadMask);
        var r10 = Row(src, 10, ld, rows, loadMask);
        var r11 = Row(src, 11, ld, rows, loadMask);
        var r12 = Row(src, 12, ld, rows, loadMask);
        var r13 = Row(src, 13, ld, rows, loadMask);
        var r14 = Row(src, 14, ld, rows, loadMask);
        var r15 = Row(src, 15, ld, rows, loadMask);

        // Quads: q{g}{j} holds, in 128-bit lane L, column 4L + j of rows 4g .. 4g+3.
        Quads(r0, r1, r2, r3, out var q00, out var q01, out var q02, out var q03);
        Quads(r4, r5, r6, r7, out var q10, out var q11, out var q12, out var q13);
        Quads(r8, r9, r10, r11, out var q20, out var q21, out var q22, out var q23);
        Quads(r12, r13, r14, r15, out var q30, out var q31, out var q32, out var q33);

        // Column 4L + j gathers lane L of q0j, q1j, q2j, q3j.
        var sink = new Sink(dst, dstHigh, dstStride, cols, storeMask);
        Columns(q00, q10, q20, q30, 0, sink);
        Columns(q01, q11, q21, q31, 1, sink);
        Columns(q02, q12, q22, q32, 2, sink);
        Columns(q03, q13, q23, q33, 3, sink);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(float* src, int r, nint ld, int rows, Vector512<float> loadMask) =>
        r >= rows ? default : Avx512F.MaskLoad(src + (r * ld), loadMask, default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quads(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d,
        out Vector512<float> j0, out Vector512<float> j1, out Vector512<float> j2, out Vector512<float> j3)
    {
        var abLo = Avx512F.UnpackLow(a, b); // a0 b0 a1 b1 in each lane
        var abHi = Avx512F.UnpackHigh(a, b); // a2 b2 a3 b3
        var cdLo = Avx512F.UnpackLow(c, d);
        var cdHi = Avx512F.UnpackHigh(c, d);
        j0 = Avx512F.Shuffle(abLo, cdLo, 0x44); // a0 b0 c0 d0
        j1 = Avx512F.Shuffle(abLo, cdLo, 0xEE); // a1 b1 c1 d1
        j2 = Avx512F.Shuffle(abHi, cdHi, 0x44);
        j3 = Avx512F.Shuffle(abHi, cdHi, 0xEE);
    }

    /// <summary>Writes columns j, 4 + j, 8 + j and 12 + j (those below cols) from the quads of column j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(Vector512<float> g0, Vector512<float> g1, Vector512<float> g2, Vector512<float> g3,
        int j, in Sink sink)
    {
        var even01 = Avx512F.Shuffle4x128(g0, g1, 0x88); // lanes g0.0 g0.2 g1.0 g1.2
        var odd01 = Avx512F.Shuffle4x128(g0, g1, 0xDD); // lanes g0.1 g0.3 g1.1 g1.3
        var even23 = Avx512F.Shuffle4x128(g2, g3, 0x88);
        var odd23 = Avx512F.Shuffle4x128(g2, g3, 0xDD);
        sink.Store(Avx512F.Shuffle4x128(even01, even23, 0x88), j); // lane 0 of each: column j
        sink.Store(Avx512F.Shuffle4x128(odd01, odd23, 0x88), 4 + j);
        sink.Store(Avx512F.Shuffle4x128(even01, even23, 0xDD), 8 + j);
        sink.Store(Avx512F.Shuffle4x128(odd01, odd23, 0xDD), 12 + j);
    }

    /// <summary>Where the transposed columns go: see <see cref="Block"/>.</summary>
    private readonly struct Sink(float* dst, float* dstHigh, nint stride, int cols, Vector512<float> mask)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(Vector512<float> column, int t)
        {
            if (t >= cols)
            {
                return;
            }
            if (dstHigh == null)
            {
                Avx512F.MaskStore(dst + (t * stride), mask, column);
                return;
            }
            Vector256.Store(column.GetLower(), dst + (t * stride));
            Vector256.Store(column.GetUpper(), dstHigh + (t * stride));
        }
    }
}
