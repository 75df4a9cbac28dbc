using System.Numerics;

namespace Pipeline.ML.Kernels;

/// <summary>
/// General matrix multiply on row-major matrices: C = op(A)·op(B), or C += op(A)·op(B) when
/// <paramref name="accumulate"/> is set. op(X) is X or Xᵀ. op(A) is (M, K), op(B) is (K, N), C is (M, N);
/// lda/ldb/ldc are row strides of the matrices as stored.
/// </summary>
public static class Gemm
{
    public static void Multiply<T>(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        // Reference loop; the float path is replaced by a packed, vectorised kernel.
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

    internal static void CheckShapes(
        bool transA, bool transB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentException($"gemm: dimensions must be non-negative, got m={m} n={n} k={k}");
        }
        var (aRows, aCols) = transA ? (k, m) : (m, k);
        var (bRows, bCols) = transB ? (n, k) : (k, n);
        Check("A", aRows, aCols, lda, aLength);
        Check("B", bRows, bCols, ldb, bLength);
        Check("C", m, n, ldc, cLength);

        static void Check(string name, int rows, int cols, int ld, int length)
        {
            if (rows == 0 || cols == 0)
            {
                return;
            }
            if (ld < cols)
            {
                throw new ArgumentException($"gemm: {name} has {cols} columns but row stride {ld}");
            }
            var needed = (long)(rows - 1) * ld + cols;
            if (needed > length)
            {
                throw new ArgumentException(
                    $"gemm: {name} is ({rows}, {cols}) with row stride {ld}, needing {needed} elements, but has {length}");
            }
        }
    }
}
