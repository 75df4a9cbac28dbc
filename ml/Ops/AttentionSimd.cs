using System.Numerics;
using System.Runtime.Intrinsics;

namespace Pipeline.ML.Ops;

/// <summary>
/// Head-length dot products, the scores S = q·kᵀ and dP = dO·vᵀ. Generic over T so the float (training) and double
/// (gradient check) paths share code; the JIT specialises each. Widest vectors first, then a 256-bit step, then a
/// scalar tail, so any head size works. Dot4 and Dot agree bit for bit, so a score does not depend on which of the
/// two computed it — part of what makes a packed document's results identical to those of the document alone.
/// </summary>
internal static unsafe class AttentionSimd
{
    /// <summary>Σ a[i]·b[i] over n elements.</summary>
    public static T Dot<T>(T* a, T* b, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        var sum = T.Zero;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            var acc = Vector512<T>.Zero;
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                acc = VectorFma.MulAdd(Vector512.Load(a + i), Vector512.Load(b + i), acc);
            }
            sum = Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && i <= n - Vector256<T>.Count)
        {
            var acc = Vector256<T>.Zero;
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                acc = VectorFma.MulAdd(Vector256.Load(a + i), Vector256.Load(b + i), acc);
            }
            sum += Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /// <summary>
    /// result[j] = a · b_j for the four rows b_j = b + j·stride, each exactly as <see cref="Dot"/> computes it;
    /// a's loads are shared and the four chains run side by side.
    /// </summary>
    public static void Dot4<T>(T* a, T* b, long stride, int n, T* result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* b0 = b, b1 = b + stride, b2 = b + 2 * stride, b3 = b + 3 * stride;
        var i = 0;
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            Vector512<T> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var va = Vector512.Load(a + i);
                acc0 = VectorFma.MulAdd(va, Vector512.Load(b0 + i), acc0);
                acc1 = VectorFma.MulAdd(va, Vector512.Load(b1 + i), acc1);
                acc2 = VectorFma.MulAdd(va, Vector512.Load(b2 + i), acc2);
                acc3 = VectorFma.MulAdd(va, Vector512.Load(b3 + i), acc3);
            }
            (s0, s1, s2, s3) = (Vector512.Sum(acc0), Vector512.Sum(acc1), Vector512.Sum(acc2), Vector512.Sum(acc3));
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && i <= n - Vector256<T>.Count)
        {
            Vector256<T> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var va = Vector256.Load(a + i);
                acc0 = VectorFma.MulAdd(va, Vector256.Load(b0 + i), acc0);
                acc1 = VectorFma.MulAdd(va, Vector256.Load(b1 + i), acc1);
                acc2 = VectorFma.MulAdd(va, Vector256.Load(b2 + i), acc2);
                acc3 = VectorFma.MulAdd(va, Vector256.Load(b3 + i), acc3);
            }
            s0 += Vector256.Sum(acc0);
            s1 += Vector256.Sum(acc1);
            s2 += Vector256.Sum(acc2);
            s3 += Vector256.Sum(acc3);
        }
        for (; i < n; i++)
        {
            s0 += a[i] * b0[i];
            s1 += a[i] * b1[i];
            s2 += a[i] * b2[i];
            s3 += a[i] * b3[i];
        }
        (result[0], result[1], result[2], result[3]) = (s0, s1, s2, s3);
    }
}
