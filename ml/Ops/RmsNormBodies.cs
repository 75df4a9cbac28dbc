using System.Numerics;
using System.Runtime.Intrinsics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>One chunk of rows of <see cref="RmsNorm.Forward"/>.</summary>
internal unsafe struct RmsNormForwardBody<T> : IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* X;
    public T* Weight;
    public T* Y;
    public T* Rstd;
    public T Eps;
    public int Rows;
    public int Channels;
    public int RowsPerChunk;

    public readonly void Run(int chunk)
    {
        var c = Channels;
        var end = Math.Min(Rows, (chunk + 1) * RowsPerChunk);
        for (var row = chunk * RowsPerChunk; row < end; row++)
        {
            var x = X + (long)row * c;
            var y = Y + (long)row * c;
            var r = T.One / T.Sqrt(RowSimd.SumSquares(new ReadOnlySpan<T>(x, c)) / T.CreateTruncating(c) + Eps);
            Rstd[row] = r;
            // y = weight · (x · rstd), multiplied in HF's order.
            var j = 0;
            if (RowSimd.Use512<T>())
            {
                var vr = Vector512.Create(r);
                for (; j <= c - Vector512<T>.Count; j += Vector512<T>.Count)
                {
                    (Vector512.Load(x + j) * vr * Vector512.Load(Weight + j)).Store(y + j);
                }
            }
            else if (RowSimd.Use256<T>())
            {
                var vr = Vector256.Create(r);
                for (; j <= c - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    (Vector256.Load(x + j) * vr * Vector256.Load(Weight + j)).Store(y + j);
                }
            }
            for (; j < c; j++)
            {
                y[j] = x[j] * r * Weight[j];
            }
        }
    }
}

/// <summary>
/// One block of rows of <see cref="RmsNorm.Backward"/>. Per row, with x̂ = x · r and dx̂ = dy · w:
/// dx += r · dx̂ − x · k where k = r³ · Σ(dx̂ · x) / C (the term through rstd), and the block's weight partial
/// gets dy · x̂.
/// </summary>
internal unsafe struct RmsNormBackwardBody<T> : IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* Dy;
    public T* X;
    public T* Weight;
    public T* Rstd;
    public T* Dx;
    public T* WeightPartials; // (blocks, C), or null when the weight is frozen
    public int Rows;
    public int Channels;
    public int RowsPerChunk;

    public readonly void Run(int chunk)
    {
        var c = Channels;
        var partial = WeightPartials == null ? null : WeightPartials + (long)chunk * c;
        var end = Math.Min(Rows, (chunk + 1) * RowsPerChunk);
        for (var row = chunk * RowsPerChunk; row < end; row++)
        {
            var offset = (long)row * c;
            var r = Rstd[row];
            var k = r * r * r * SumDyWX(Dy + offset, X + offset) / T.CreateTruncating(c);
            AccumulateRow(Dy + offset, X + offset, Dx + offset, partial, r, k);
        }
    }

    /// <summary>Σ dy · w · x over one row.</summary>
    private readonly T SumDyWX(T* dy, T* x)
    {
        var c = Channels;
        var sum = T.Zero;
        var j = 0;
        if (RowSimd.Use512<T>())
        {
            var acc = Vector512<T>.Zero;
            for (; j <= c - Vector512<T>.Count; j += Vector512<T>.Count)
            {
                acc += Vector512.Load(dy + j) * Vector512.Load(Weight + j) * Vector512.Load(x + j);
            }
            sum = Vector512.Sum(acc);
        }
        else if (RowSimd.Use256<T>())
        {
            var acc = Vector256<T>.Zero;
            for (; j <= c - Vector256<T>.Count; j += Vector256<T>.Count)
            {
                acc += Vector256.Load(dy + j) * Vector256.Load(Weight + j) * Vector256.Load(x + j);
            }
            sum = Vector256.Sum(acc);
        }
        for (; j < c; j++)
        {
            sum += dy[j] * Weight[j] * x[j];
        }
        return sum;
    }

    /// <summary>dx += r · (dy · w) − k · x; partial += dy · (x · r) when the weight is trained.</summary>
    private readonly void AccumulateRow(T* dy, T* x, T* dx, T* partial, T r, T k)
    {
        var c = Channels;
        var j = 0;
        if (RowSimd.Use512<T>())
        {
            var vr = Vector512.Create(r);
            var vk = Vector512.Create(k);
            for (; j <= c - Vector512<T>.Count; j += Vector512<T>.Count)
            {
                var vdy = Vector512.Load(dy + j);
                var vx = Vector512.Load(x + j);
                (Vector512.Load(dx + j) + (vdy * Vector512.Load(Weight + j) * vr - vx * vk)).Store(dx + j);
                if (partial != null)
                {
                    (Vector512.Load(partial + j) + vdy * (vx * vr)).Store(partial + j);
                }
            }
        }
        else if (RowSimd.Use256<T>())
        {
            var vr = Vector256.Create(r);
            var vk = Vector256.Create(k);
            for (; j <= c - Vector256<T>.Count; j += Vector256<T>.Count)
            {
                var vdy = Vector256.Load(dy + j);
                var vx = Vector256.Load(x + j);
                (Vector256.Load(dx + j) + (vdy * Vector256.Load(Weight + j) * vr - vx * vk)).Store(dx + j);
                if (partial != null)
                {
                    (Vector256.Load(partial + j) + vdy * (vx * vr)).Store(partial + j);
                }
            }
        }
        for (; j < c; j++)
        {
            dx[j] += dy[j] * Weight[j] * r - x[j] * k;
            if (partial != null)
            {
                partial[j] += dy[j] * (x[j] * r);
            }
        }
    }
}
