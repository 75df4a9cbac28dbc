using System.Numerics;

namespace Pipeline.ML.Kernels;

/// <summary>The plain triple loop behind <see cref="Gemm.Multiply{T}"/> for types other than float: only the
/// double-precision finite-difference checks use it, on tiny shapes, so clarity wins over speed.</summary>
internal static class ReferenceGemm
{
    public static void Multiply<T>(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = T.Zero;
                for (var p = 0; p < k; p++)
                {
                    var av = transA ? a[p * lda + i] : a[i * lda + p];
                    var bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
            }
        }
    }
}
