using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Pipeline.ML.Ops;

/// <summary>
/// Vectorised loops over one row, shared by the row-wise ops: Vector512 where the hardware has it, else Vector256,
/// then a scalar tail. A row's result depends only on its values and length (fixed lane order in every reduction),
/// never on which thread computes it.
/// </summary>
internal static class RowSimd
{
    public static bool Use512<T>()
        where T : unmanaged => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;

    public static bool Use256<T>()
        where T : unmanaged => Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;

    /// <summary>The BCL has vector exp for float and double only; any other T takes the scalar path.</summary>
    public static bool HasVectorExp<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    public static Vector512<T> Exp<T>(Vector512<T> v)
        where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector512.Exp(v.AsSingle()).As<float, T>() : Vector512.Exp(v.AsDouble()).As<double, T>();

    public static Vector256<T> Exp<T>(Vector256<T> v)
        where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector256.Exp(v.AsSingle()).As<float, T>() : Vector256.Exp(v.AsDouble()).As<double, T>();

    /// <summary>max_i x[i] (−∞ for an empty row; NaN propagates).</summary>
    public static T Max<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var src = ref MemoryMarshal.GetReference(x);
        var max = T.NegativeInfinity;
        var i = 0;
        if (Use512<T>() && x.Length >= Vector512<T>.Count)
        {
            var acc = Vector512.Create(T.NegativeInfinity);
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                acc = Vector512.Max(acc, Vector512.LoadUnsafe(ref src, (nuint)i));
            }
            for (var lane = 0; lane < Vector512<T>.Count; lane++)
            {
                max = T.Max(max, acc[lane]);
            }
        }
        else if (Use256<T>() && x.Length >= Vector256<T>.Count)
        {
            var acc = Vector256.Create(T.NegativeInfinity);
            for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                acc = Vector256.Max(acc, Vector256.LoadUnsafe(ref src, (nuint)i));
            }
            for (var lane = 0; lane < Vector256<T>.Count; lane++)
            {
                max = T.Max(max, acc[lane]);
            }
        }
        for (; i < x.Length; i++)
        {
            max = T.Max(max, x[i]);
        }
        return max;
    }

    /// <summary>Σ x[i]².</summary>
    public static T SumSquares<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var src = ref MemoryMarshal.GetReference(x);
        var sum = T.Zero;
        var i = 0;
        if (Use512<T>() && x.Length >= Vector512<T>.Count)
        {
            var acc = Vector512<T>.Zero;
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.LoadUnsafe(ref src, (nuint)i);
                acc += v * v;
            }
            sum = Vector512.Sum(acc);
        }
        else if (Use256<T>() && x.Length >= Vector256<T>.Count)
        {
            var acc = Vector256<T>.Zero;
            for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)i);
                acc += v * v;
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            sum += x[i] * x[i];
        }
        return sum;
    }

    /// <summary>Σ exp(x[i] − shift); with shift = max x every term is ≤ 1, which keeps log-sum-exp stable.</summary>
    public static T SumExp<T>(ReadOnlySpan<T> x, T shift)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var src = ref MemoryMarshal.GetReference(x);
        var sum = T.Zero;
        var i = 0;
        if (HasVectorExp<T>() && Use512<T>() && x.Length >= Vector512<T>.Count)
        {
            var acc = Vector512<T>.Zero;
            var s = Vector512.Create(shift);
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                acc += Exp(Vector512.LoadUnsafe(ref src, (nuint)i) - s);
            }
            sum = Vector512.Sum(acc);
        }
        else if (HasVectorExp<T>() && Use256<T>() && x.Length >= Vector256<T>.Count)
        {
            var acc = Vector256<T>.Zero;
            var s = Vector256.Create(shift);
            for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                acc += Exp(Vector256.LoadUnsafe(ref src, (nuint)i) - s);
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            sum += T.Exp(x[i] - shift);
        }
        return sum;
    }

    /// <summary>dst[i] += scale · exp(x[i] − shift): with shift = log-sum-exp this adds scale · softmax(x).</summary>
    public static void AddScaledExp<T>(ReadOnlySpan<T> x, T shift, T scale, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var src = ref MemoryMarshal.GetReference(x);
        ref var d = ref MemoryMarshal.GetReference(dst);
        var i = 0;
        if (HasVectorExp<T>() && Use512<T>() && x.Length >= Vector512<T>.Count)
        {
            var s = Vector512.Create(shift);
            var a = Vector512.Create(scale);
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var p = Exp(Vector512.LoadUnsafe(ref src, (nuint)i) - s);
                (Vector512.LoadUnsafe(ref d, (nuint)i) + a * p).StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (HasVectorExp<T>() && Use256<T>() && x.Length >= Vector256<T>.Count)
        {
            var s = Vector256.Create(shift);
            var a = Vector256.Create(scale);
            for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var p = Exp(Vector256.LoadUnsafe(ref src, (nuint)i) - s);
                (Vector256.LoadUnsafe(ref d, (nuint)i) + a * p).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            dst[i] += scale * T.Exp(x[i] - shift);
        }
    }

    /// <summary>dst[i] += src[i].</summary>
    public static void Add<T>(ReadOnlySpan<T> src, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var d = ref MemoryMarshal.GetReference(dst);
        var i = 0;
        if (Use512<T>())
        {
            for (; i <= src.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                (Vector512.LoadUnsafe(ref d, (nuint)i) + Vector512.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (Use256<T>())
        {
            for (; i <= src.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                (Vector256.LoadUnsafe(ref d, (nuint)i) + Vector256.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < src.Length; i++)
        {
            dst[i] += src[i];
        }
    }
}
