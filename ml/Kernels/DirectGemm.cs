using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.ML.Kernels;

/// <summary>
/// Unpacked loops for skinny products — a handful of rows of C (batch-1 inference, a matrix-vector product) or a
/// handful of columns from a transposed B (a scalar head) — where each operand element is used at most a few
/// times, so packing it would cost more than the product. Memory-bound, so 256-bit vectors are plenty.
/// </summary>
internal static unsafe class DirectGemm
{
    /// <summary>Rows (or columns) at or below which the direct loops beat packing.</summary>
    public const int MaxSkinny = 4;

    public static bool Suits(in GemmOperands g) => g.M <= MaxSkinny || (g.N <= MaxSkinny && g.TransB && !g.TransA);

    /// <summary>C[i0..i1, j0..j1] (=|+=) op(A)[i0..i1, :] · op(B)[:, j0..j1]; each element summed in k order
    /// (per vector lane for the dot products), whatever the rectangle.</summary>
    public static void Run(in GemmOperands g, int i0, int i1, int j0, int j1, bool vectors)
    {
        for (var i = i0; i < i1; i++)
        {
            if (g.TransB)
            {
                Dots(g, i, j0, j1, vectors);
            }
            else
            {
                Axpys(g, i, j0, j1, vectors);
            }
        }
    }

    /// <summary>Row i of C as Σ_p op(A)[i, p] · B[p, :], B stored (K, N): 32 columns at a time in registers.</summary>
    private static void Axpys(in GemmOperands g, int i, int j0, int j1, bool vectors)
    {
        var c = g.C + (i * g.Ldc);
        var j = j0;
        for (; vectors && j + 32 <= j1; j += 32)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            var b = g.B + j;
            for (var p = 0; p < g.K; p++, b += g.Ldb)
            {
                var a = Vector256.Create(AAt(g, i, p));
                s0 = Vector256.FusedMultiplyAdd(a, Vector256.Load(b), s0);
                s1 = Vector256.FusedMultiplyAdd(a, Vector256.Load(b + 8), s1);
                s2 = Vector256.FusedMultiplyAdd(a, Vector256.Load(b + 16), s2);
                s3 = Vector256.FusedMultiplyAdd(a, Vector256.Load(b + 24), s3);
            }
            Store(c + j, s0, g.Accumulate);
            Store(c + j + 8, s1, g.Accumulate);
            Store(c + j + 16, s2, g.Accumulate);
            Store(c + j + 24, s3, g.Accumulate);
        }
        for (; vectors && j + 8 <= j1; j += 8)
        {
            Vector256<float> s = default;
            var b = g.B + j;
            for (var p = 0; p < g.K; p++, b += g.Ldb)
            {
                s = Vector256.FusedMultiplyAdd(Vector256.Create(AAt(g, i, p)), Vector256.Load(b), s);
            }
            Store(c + j, s, g.Accumulate);
        }
        for (; j < j1; j++)
        {
            var s = 0f;
            for (var p = 0; p < g.K; p++)
            {
                s = MathF.FusedMultiplyAdd(AAt(g, i, p), g.B[(p * g.Ldb) + j], s);
            }
            c[j] = g.Accumulate ? c[j] + s : s;
        }
    }

    /// <summary>Row i of C as dot products of op(A)[i, :] with rows of B stored (N, K), both contiguous along k.</summary>
    private static void Dots(in GemmOperands g, int i, int j0, int j1, bool vectors)
    {
        // A stored (K, M) has row i of op(A) strided; the direct path runs only on skinny shapes, so gathering it
        // into a contiguous row first is cheap.
        var a = g.A + (i * g.Lda);
        if (g.TransA)
        {
            a = GemmScratch.Current.Row(g.K);
            for (var p = 0; p < g.K; p++)
            {
                a[p] = g.A[(p * g.Lda) + i];
            }
        }
        var c = g.C + (i * g.Ldc);
        for (var j = j0; j < j1; j++)
        {
            var b = g.B + (j * g.Ldb);
            var p = 0;
            var s = 0f;
            if (vectors)
            {
                Vector256<float> v0 = default, v1 = default;
                for (; p + 16 <= g.K; p += 16)
                {
                    v0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + p), Vector256.Load(b + p), v0);
                    v1 = Vector256.FusedMultiplyAdd(Vector256.Load(a + p + 8), Vector256.Load(b + p + 8), v1);
                }
                s = Vector256.Sum(v0 + v1);
            }
            for (; p < g.K; p++)
            {
                s = MathF.FusedMultiplyAdd(a[p], b[p], s);
            }
            c[j] = g.Accumulate ? c[j] + s : s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float AAt(in GemmOperands g, int i, int p) => g.TransA ? g.A[(p * g.Lda) + i] : g.A[(i * g.Lda) + p];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> sum, bool accumulate) =>
        Vector256.Store(accumulate ? Vector256.Load(c) + sum : sum, c);
}
