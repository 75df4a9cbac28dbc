using System.Numerics;
using System.Runtime.Intrinsics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>One chunk of <see cref="SwiGlu.Forward"/>: h = gate / (1 + exp(−gate)) · up.</summary>
internal unsafe struct SwiGluForwardBody<T> : IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* Gate;
    public T* Up;
    public T* H;
    public int Count;

    public readonly void Run(int chunk)
    {
        var i = chunk * SwiGlu.ChunkElements;
        var end = Math.Min(Count, i + SwiGlu.ChunkElements);
        if (RowSimd.HasVectorExp<T>() && RowSimd.Use512<T>())
        {
            var one = Vector512<T>.One;
            for (; i <= end - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var g = Vector512.Load(Gate + i);
                (g / (one + RowSimd.Exp(-g)) * Vector512.Load(Up + i)).Store(H + i);
            }
        }
        else if (RowSimd.HasVectorExp<T>() && RowSimd.Use256<T>())
        {
            var one = Vector256<T>.One;
            for (; i <= end - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var g = Vector256.Load(Gate + i);
                (g / (one + RowSimd.Exp(-g)) * Vector256.Load(Up + i)).Store(H + i);
            }
        }
        for (; i < end; i++)
        {
            var g = Gate[i];
            H[i] = g / (T.One + T.Exp(-g)) * Up[i];
        }
    }
}

/// <summary>
/// One chunk of <see cref="SwiGlu.Backward"/>. With e = exp(−gate), σ = 1 / (1 + e), silu = gate / (1 + e):
/// dup += dh · silu; dgate += (dh · up) · σ · (1 + gate · (1 − σ)).
/// </summary>
internal unsafe struct SwiGluBackwardBody<T> : IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* Dh;
    public T* Gate;
    public T* Up;
    public T* DGate;
    public T* DUp;
    public int Count;

    public readonly void Run(int chunk)
    {
        var i = chunk * SwiGlu.ChunkElements;
        var end = Math.Min(Count, i + SwiGlu.ChunkElements);
        if (RowSimd.HasVectorExp<T>() && RowSimd.Use512<T>())
        {
            var one = Vector512<T>.One;
            for (; i <= end - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var g = Vector512.Load(Gate + i);
                var dh = Vector512.Load(Dh + i);
                var denominator = one + RowSimd.Exp(-g);
                var sigmoid = one / denominator;
                (Vector512.Load(DUp + i) + dh * (g / denominator)).Store(DUp + i);
                (Vector512.Load(DGate + i) + dh * Vector512.Load(Up + i) * sigmoid * (one + g * (one - sigmoid))).Store(DGate + i);
            }
        }
        else if (RowSimd.HasVectorExp<T>() && RowSimd.Use256<T>())
        {
            var one = Vector256<T>.One;
            for (; i <= end - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var g = Vector256.Load(Gate + i);
                var dh = Vector256.Load(Dh + i);
                var denominator = one + RowSimd.Exp(-g);
                var sigmoid = one / denominator;
                (Vector256.Load(DUp + i) + dh * (g / denominator)).Store(DUp + i);
                (Vector256.Load(DGate + i) + dh * Vector256.Load(Up + i) * sigmoid * (one + g * (one - sigmoid))).Store(DGate + i);
            }
        }
        for (; i < end; i++)
        {
            var g = Gate[i];
            var denominator = T.One + T.Exp(-g);
            var sigmoid = T.One / denominator;
            DUp[i] += Dh[i] * (g / denominator);
            DGate[i] += Dh[i] * Up[i] * sigmoid * (T.One + g * (T.One - sigmoid));
        }
    }
}
