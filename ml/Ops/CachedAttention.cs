using System.Numerics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>
/// Inference attention over a KV cache (forward only): Tq new queries per sequence, at absolute positions
/// past … past+Tq−1, attend causally to the cached keys [keyStart[b], position]. keyStart skips a row's left
/// padding, so prompts of different lengths share one batch. Grouped-query: query head h reads KV head h/(H/Hkv).
/// </summary>
public static class CachedAttention
{
    // q: (B, Tq, H, D); kCache, vCache: (B, L, Hkv, D) filled up to past+Tq; output: (B, Tq, H, D); keyStart: (B)
    public static unsafe void Forward<T>(
        ReadOnlySpan<T> q, ReadOnlySpan<T> kCache, ReadOnlySpan<T> vCache, Span<T> output, ReadOnlySpan<int> keyStart,
        int batch, int queries, int past, int capacity, int heads, int kvHeads, int headDim)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (heads % kvHeads != 0 || past < 0 || past + queries > capacity)
        {
            throw new ArgumentException(
                $"cached attention: heads {heads} / kv heads {kvHeads}, positions [{past}, {past + queries}) in a cache of {capacity}");
        }
        Check(q.Length, batch * queries * heads * headDim, "q");
        Check(output.Length, batch * queries * heads * headDim, "output");
        Check(kCache.Length, batch * capacity * kvHeads * headDim, "kCache");
        Check(vCache.Length, batch * capacity * kvHeads * headDim, "vCache");
        Check(keyStart.Length, batch, "keyStart");
        fixed (T* pq = q, pk = kCache, pv = vCache, po = output)
        fixed (int* ps = keyStart)
        {
            CpuParallel.For(batch * heads, new Body<T>
            {
                Q = pq, K = pk, V = pv, O = po, Start = ps, Queries = queries, Past = past, Capacity = capacity,
                Heads = heads, KvHeads = kvHeads, HeadDim = headDim,
                Scale = T.One / T.Sqrt(T.CreateChecked(headDim)),
            });
        }
    }

    private static void Check(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"cached attention: {name} has {actual} elements, expected {expected}");
        }
    }

    // Per-thread score buffers: a decode step runs B·H chunks per layer per token, too many to allocate each time.
    private static class Scratch<T>
    {
        [ThreadStatic]
        private static T[]? _buffer;

        public static T[] Get(int length)
        {
            if (_buffer is null || _buffer.Length < length)
            {
                _buffer = new T[Math.Max(length, 256)];
            }
            return _buffer;
        }
    }

    private unsafe struct Body<T> : IParallelBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* Q, K, V, O;
        public int* Start;
        public int Queries, Past, Capacity, Heads, KvHeads, HeadDim;
        public T Scale;

        public readonly void Run(int chunk)
        {
            int b = chunk / Heads, h = chunk % Heads, kvh = h / (Heads / KvHeads), d = HeadDim;
            var scores = Scratch<T>.Get(Past + Queries);
            for (var t = 0; t < Queries; t++)
            {
                var pos = Past + t;
                var lo = Math.Min(Start[b], pos);    // a padding query attends to itself only
                var qRow = Q + ((long)(b * Queries + t) * Heads + h) * d;
                var max = T.NegativeInfinity;
                for (var s = lo; s <= pos; s++)
                {
                    var kRow = K + ((long)(b * Capacity + s) * KvHeads + kvh) * d;
                    var dot = T.Zero;
                    for (var i = 0; i < d; i++)
                    {
                        dot += qRow[i] * kRow[i];
                    }
                    scores[s] = dot * Scale;
                    max = T.Max(max, scores[s]);
                }
                var sum = T.Zero;
                for (var s = lo; s <= pos; s++)
                {
                    scores[s] = T.Exp(scores[s] - max);
                    sum += scores[s];
                }
                var oRow = O + ((long)(b * Queries + t) * Heads + h) * d;
                new Span<T>(oRow, d).Clear();
                for (var s = lo; s <= pos; s++)
                {
                    var w = scores[s] / sum;
                    var vRow = V + ((long)(b * Capacity + s) * KvHeads + kvh) * d;
                    for (var i = 0; i < d; i++)
                    {
                        oRow[i] += w * vRow[i];
                    }
                }
            }
        }
    }
}
