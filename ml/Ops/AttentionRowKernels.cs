using System.Numerics;
using System.Runtime.Intrinsics;

namespace Pipeline.ML.Ops;

/// <summary>Row-level attention kernels: the band softmax and the probability-weighted sum of value rows.</summary>
internal static unsafe class AttentionRowKernels
{
    /// <summary>
    /// output[j] (+)= Σ_s w[s·wStride]·rows[s·stride + j]: P·V for one query row, dS·K into dQ, or a column of
    /// Pᵀ·dO / dSᵀ·Q into one key's dV / dK. The sum runs over s in order with the accumulators in registers,
    /// D-block by D-block: each element is one FMA per s in order, whatever the blocking, so a zero weight (a
    /// masked pair) is an exact no-op and packed documents get the same bits as documents alone.
    /// </summary>
    // output: (d); w: (count) at stride wStride; rows: (count, d) at row stride `stride`
    public static void WeightedSum<T>(
        T* output, T* w, long wStride, T* rows, long stride, int count, int d, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var j = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var width = Vector512<T>.Count;
            // Four vectors at a time: one broadcast of w[s] feeds four FMAs (D = 64 floats in one pass).
            for (; j <= d - 4 * width; j += 4 * width)
            {
                var o = output + j;
                var acc0 = accumulate ? Vector512.Load(o) : default;
                var acc1 = accumulate ? Vector512.Load(o + width) : default;
                var acc2 = accumulate ? Vector512.Load(o + 2 * width) : default;
                var acc3 = accumulate ? Vector512.Load(o + 3 * width) : default;
                var row = rows + j;
                for (var s = 0; s < count; s++, row += stride)
                {
                    var ws = Vector512.Create(w[s * wStride]);
                    acc0 = VectorFma.MulAdd(ws, Vector512.Load(row), acc0);
                    acc1 = VectorFma.MulAdd(ws, Vector512.Load(row + width), acc1);
                    acc2 = VectorFma.MulAdd(ws, Vector512.Load(row + 2 * width), acc2);
                    acc3 = VectorFma.MulAdd(ws, Vector512.Load(row + 3 * width), acc3);
                }
                acc0.Store(o);
                acc1.Store(o + width);
                acc2.Store(o + 2 * width);
                acc3.Store(o + 3 * width);
            }
            if (j <= d - 2 * width)
            {
                var o = output + j;
                var acc0 = accumulate ? Vector512.Load(o) : default;
                var acc1 = accumulate ? Vector512.Load(o + width) : default;
                var row = rows + j;
                for (var s = 0; s < count; s++, row += stride)
                {
                    var ws = Vector512.Create(w[s * wStride]);
                    acc0 = VectorFma.MulAdd(ws, Vector512.Load(row), acc0);
                    acc1 = VectorFma.MulAdd(ws, Vector512.Load(row + width), acc1);
                }
                acc0.Store(o);
                acc1.Store(o + width);
                j += 2 * width;
            }
            if (j <= d - width)
            {
                var acc = accumulate ? Vector512.Load(output + j) : default;
                var row = rows + j;
                for (var s = 0; s < count; s++, row += stride)
                {
                    acc = VectorFma.MulAdd(Vector512.Create(w[s * wStride]), Vector512.Load(row), acc);
                }
                acc.Store(output + j);
                j += width;
            }
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; j <= d - Vector256<T>.Count; j += Vector256<T>.Count)
            {
                var acc = accumulate ? Vector256.Load(output + j) : default;
                var row = rows + j;
                for (var s = 0; s < count; s++, row += stride)
                {
                    acc = VectorFma.MulAdd(Vector256.Create(w[s * wStride]), Vector256.Load(row), acc);
                }
                acc.Store(output + j);
            }
        }
        for (; j < d; j++)
        {
            var acc = accumulate ? output[j] : T.Zero;
            var row = rows + j;
            for (var s = 0; s < count; s++, row += stride)
            {
                acc += w[s * wStride] * *row;
            }
            output[j] = acc;
        }
    }

    /// <summary>
    /// x ← softmax(x) over n scores, stable (shifted by the max) and as PyTorch's CPU kernel: exp(x − max), then
    /// multiplied by 1 / Σ.
    /// </summary>
    // x: (n)
    public static void Softmax<T>(T* x, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = T.NegativeInfinity;
        var i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            var vmax = Vector512.Create(T.NegativeInfinity);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                vmax = Vector512.Max(vmax, Vector512.Load(x + i));
            }
            for (var lane = 0; lane < Vector512<T>.Count; lane++)
            {
                max = T.Max(max, vmax[lane]);
            }
        }
        for (; i < n; i++)
        {
            max = T.Max(max, x[i]);
        }
        var sum = T.Zero;
        var k = 0;
        if (Vector512.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            var shift = Vector512.Create(max);
            var acc = Vector512<T>.Zero;
            for (; k <= n - Vector512<T>.Count; k += Vector512<T>.Count)
            {
                var e = Exp(Vector512.Load(x + k) - shift);
                e.Store(x + k);
                acc += e;
            }
            sum = Vector512.Sum(acc);
        }
        for (; k < n; k++)
        {
            x[k] = T.Exp(x[k] - max);
            sum += x[k];
        }
        var inverse = T.One / sum;
        i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var vinverse = Vector512.Create(inverse);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                (Vector512.Load(x + i) * vinverse).Store(x + i);
            }
        }
        for (; i < n; i++)
        {
            x[i] *= inverse;
        }
    }

    // The BCL's vectorised exp (float, double overloads only); within 2 ulp of the scalar libm exp.
    private static Vector512<T> Exp<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.Exp(x.AsSingle()).As<float, T>();
        }
        return Vector512.Exp(x.AsDouble()).As<double, T>();
    }
}
