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
        // A decode step of one sequence is a few microseconds of work per layer: handing each (b, h) to the pool
        // cost far more than that (a parked worker takes tens of microseconds to wake). Heads are grouped so that
        // each chunk has at least MinChunkWork multiply-adds, from the shapes alone; small steps run inline.
        var work = 2L * queries * (past + queries) * headDim;
        var headsPerChunk = (int)Math.Clamp(MinChunkWork / Math.Max(1, work), 1, Math.Max(1, batch * heads));
        fixed (T* pq = q, pk = kCache, pv = vCache, po = output)
        fixed (int* ps = keyStart)
        {
            CpuParallel.For((batch * heads + headsPerChunk - 1) / headsPerChunk, new Body<T>
            {
                Q = pq, K = pk, V = pv, O = po, Start = ps, Queries = queries, Past = past, Capacity = capacity,
                Batch = batch, Heads = heads, KvHeads = kvHeads, HeadDim = headDim, HeadsPerChunk = headsPerChunk,
                Scale = T.CreateChecked(Math.Pow(headDim, -0.5)), // as Attention.Forward
            });
        }
    }

    /// <summary>Multiply-adds below which a chunk is not worth another thread.</summary>
    private const long MinChunkWork = 1 << 16;

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

    // Each query row runs the arithmetic of Attention.Forward's rows (the same Dot4/Dot scores, scale, band softmax
    // and weighted sum of values), vectorised: this was a scalar loop whose serial dot-product chain made it the
    // largest cost of decoding. A decode step's logits now equal the training forward's on the same tokens (bit for
    // bit where the other ops take the same vector paths: LlamaModelInferenceTests).
    private unsafe struct Body<T> : IParallelBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* Q, K, V, O;
        public int* Start;
        public int Queries, Past, Capacity, Batch, Heads, KvHeads, HeadDim, HeadsPerChunk;
        public T Scale;

        public readonly void Run(int chunk)
        {
            var end = Math.Min(Batch * Heads, (chunk + 1) * HeadsPerChunk);
            for (var bh = chunk * HeadsPerChunk; bh < end; bh++)
            {
                RunHead(bh / Heads, bh % Heads);
            }
        }

        private readonly void RunHead(int b, int h)
        {
            int kvh = h / (Heads / KvHeads), d = HeadDim;
            var kvStride = (long)KvHeads * d;
            var keys = K + (long)b * Capacity * kvStride + (long)kvh * d;
            var values = V + (long)b * Capacity * kvStride + (long)kvh * d;
            fixed (T* scores = Scratch<T>.Get(Past + Queries))
            {
                for (var t = 0; t < Queries; t++)
                {
                    var pos = Past + t;
                    var lo = Math.Min(Start[b], pos);    // a padding query attends to itself only
                    var qRow = Q + ((long)(b * Queries + t) * Heads + h) * d;
                    var s = lo;
                    for (; s <= pos - 3; s += 4)
                    {
                        AttentionSimd.Dot4(qRow, keys + s * kvStride, kvStride, d, scores + s);
                    }
                    for (; s <= pos; s++)
                    {
                        scores[s] = AttentionSimd.Dot(qRow, keys + s * kvStride, d);
                    }
                    for (s = lo; s <= pos; s++)
                    {
                        scores[s] *= Scale;
                    }
                    AttentionRowKernels.Softmax(scores + lo, pos - lo + 1);
                    var oRow = O + ((long)(b * Queries + t) * Heads + h) * d;
                    AttentionRowKernels.WeightedSum(oRow, scores + lo, 1, values + lo * kvStride, kvStride, pos - lo + 1, d, accumulate: false);
                }
            }
        }
    }
}
