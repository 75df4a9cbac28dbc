using System.Numerics;
using System.Runtime.Intrinsics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>Rotates the heads of a block of rows in place; <see cref="Inverse"/> rotates by −θ (the gradient).</summary>
internal unsafe struct RopeBody<T> : IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* X;           // (Rows, Heads, HeadDim)
    public int* Positions; // (Rows)
    public T* Cos;         // (maxPositions, HeadDim / 2)
    public T* Sin;         // (maxPositions, HeadDim / 2)
    public int Rows;
    public int Heads;
    public int HeadDim;
    public int RowsPerChunk;
    public bool Inverse;

    public readonly void Run(int chunk)
    {
        var half = HeadDim / 2;
        // Rotating by −θ is rotating with sin negated (cos is even, sin odd); negation is exact, so the inverse
        // costs one exact multiply and shares the forward's code.
        var sign = Inverse ? -T.One : T.One;
        var end = Math.Min(Rows, (chunk + 1) * RowsPerChunk);
        for (var row = chunk * RowsPerChunk; row < end; row++)
        {
            var cos = Cos + (long)Positions[row] * half;
            var sin = Sin + (long)Positions[row] * half;
            for (var h = 0; h < Heads; h++)
            {
                var head = X + ((long)row * Heads + h) * HeadDim;
                Rotate(head, head + half, cos, sin, sign, half);
            }
        }
    }

    // (a, b) ← (a·c − b·s', b·c + a·s') with s' = sign·s, for each of the `count` pairs.
    private static void Rotate(T* a, T* b, T* c, T* s, T sign, int count)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var vsign = Vector512.Create(sign);
            for (; i <= count - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var va = Vector512.Load(a + i);
                var vb = Vector512.Load(b + i);
                var vc = Vector512.Load(c + i);
                var vs = Vector512.Load(s + i) * vsign;
                (va * vc - vb * vs).Store(a + i);
                (vb * vc + va * vs).Store(b + i);
            }
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var vsign = Vector256.Create(sign);
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var va = Vector256.Load(a + i);
                var vb = Vector256.Load(b + i);
                var vc = Vector256.Load(c + i);
                var vs = Vector256.Load(s + i) * vsign;
                (va * vc - vb * vs).Store(a + i);
                (vb * vc + va * vs).Store(b + i);
            }
        }
        for (; i < count; i++)
        {
            var (ai, bi, si) = (a[i], b[i], s[i] * sign);
            a[i] = ai * c[i] - bi * si;
            b[i] = bi * c[i] + ai * si;
        }
    }
}
