using System.Numerics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>Attention forward for one (sequence b, query head h) per chunk: scores, softmax, P·V.</summary>
internal unsafe struct AttentionForwardBody<T> : IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* Q;        // (N, H, D)
    public T* K;        // (N, Hkv, D)
    public T* V;        // (N, Hkv, D)
    public T* Output;   // (N, H, D)
    public T* Probs;    // (B, H, T, T)
    public int* DocStart; // (N)
    public AttentionDims Shape;
    public T Scale;

    public readonly void Run(int chunk)
    {
        var (seqLen, heads, kvHeads, d) = (Shape.SeqLen, Shape.Heads, Shape.KvHeads, Shape.HeadDim);
        var b = chunk / heads;
        var h = chunk % heads;
        var rowBase = (long)b * seqLen;
        // Keys and values of this sequence and KV head: row s at keys + s·kvStride.
        var kvStride = (long)kvHeads * d;
        var kvOffset = rowBase * kvStride + (long)(h / Shape.Group) * d;
        var keys = K + kvOffset;
        var values = V + kvOffset;
        var qStride = (long)heads * d;

        for (var t = 0; t < seqLen; t++)
        {
            var query = Q + (rowBase + t) * qStride + (long)h * d;
            var p = Probs + (((long)b * heads + h) * seqLen + t) * seqLen;
            var start = DocStart[rowBase + t];
            var count = t - start + 1;

            // S[s] = scale·(q_t · k_s) over the band [start, t] only, four keys at a time.
            var s = start;
            for (; s <= t - 3; s += 4)
            {
                AttentionSimd.Dot4(query, keys + s * kvStride, kvStride, d, p + s);
            }
            for (; s <= t; s++)
            {
                p[s] = AttentionSimd.Dot(query, keys + s * kvStride, d);
            }
            for (s = start; s <= t; s++)
            {
                p[s] *= Scale;
            }

            // P = softmax(S) on the band; masked entries are exactly 0.
            new Span<T>(p, start).Clear();
            new Span<T>(p + t + 1, seqLen - t - 1).Clear();
            AttentionRowKernels.Softmax(p + start, count);

            // O_t = Σ_s P[s]·v_s
            var output = Output + (rowBase + t) * qStride + (long)h * d;
            AttentionRowKernels.WeightedSum(
                output, p + start, 1, values + start * kvStride, kvStride, count, d, accumulate: false);
        }
    }
}
