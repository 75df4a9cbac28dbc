using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipeline.ML.Kernels;

/// <summary>
/// General matrix multiply on row-major matrices: C = op(A)·op(B), or C += op(A)·op(B) when
/// <paramref name="accumulate"/> is set. op(X) is X or Xᵀ. op(A) is (M, K), op(B) is (K, N), C is (M, N);
/// lda/ldb/ldc are row strides of the matrices as stored.
/// float32 runs a packed, cache-blocked SIMD kernel (<see cref="Kernel"/>) on <c>CpuParallel.Threads</c> threads,
/// bit-identical for any thread count; other types run a plain loop (used by double-precision gradient checks).
/// </summary>
public static class Gemm
{
    private static readonly GemmKernel Detected =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmKernel.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernel.Vector256
        : GemmKernel.Scalar;

    [ThreadStatic]
    private static GemmKernel? _forced;

    /// <summary>The float32 micro-kernel calls from this thread run: the widest the CPU supports.</summary>
    public static GemmKernel Kernel => _forced ?? Detected;

    /// <summary>The widest kernel this CPU runs.</summary>
    public static GemmKernel DetectedKernel => Detected;

    /// <summary>Tests set this to run a narrower kernel than the CPU supports; null = the detected one. Per
    /// thread, so a test forcing a kernel never changes what concurrently running tests compute.</summary>
    internal static GemmKernel? ForcedKernel
    {
        get => _forced;
        set
        {
            if (value > Detected)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"this CPU runs kernels up to {Detected}");
            }
            _forced = value;
        }
    }

    public static void Multiply<T>(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (typeof(T) == typeof(float))
        {
            // Folded by the JIT: each instantiation keeps only its own branch.
            FloatGemm.Multiply(transA, transB, m, n, k, MemoryMarshal.Cast<T, float>(a), lda,
                MemoryMarshal.Cast<T, float>(b), ldb, MemoryMarshal.Cast<T, float>(c), ldc, accumulate);
            return;
        }
        ReferenceGemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
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
