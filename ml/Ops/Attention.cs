using System.Numerics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>
/// Causal scaled-dot-product attention with grouped-query attention (GQA) and document masking for packed
/// sequences. B sequences of length T make N = B·T rows; row n = b·T + t. Query head h reads KV head
/// h / (H / Hkv), as HF's repeat_kv. Token t attends to s with docStart[b,t] ≤ s ≤ t; scale = 1/√D (HF's
/// head_dim**-0.5). Only the unmasked band is computed; masked probabilities are exactly 0, as PyTorch's softmax
/// gives for a −inf/finfo.min mask.
/// </summary>
public static class Attention
{
    // q: (N, H, D); k, v: (N, Hkv, D); output: (N, H, D), overwritten; probs: (B, H, T, T), overwritten with the
    // softmax probabilities Backward needs; docStart: (N), 0 ≤ docStart[b,t] ≤ t (all zeros = plain causal).
    public static unsafe void Forward<T>(
        ReadOnlySpan<T> q, ReadOnlySpan<T> k, ReadOnlySpan<T> v, Span<T> output, Span<T> probs,
        ReadOnlySpan<int> docStart, int batch, int seqLen, int heads, int kvHeads, int headDim)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string Op = "Attention.Forward";
        var shape = AttentionDims.Create(Op, batch, seqLen, heads, kvHeads, headDim);
        shape.CheckQueries(Op, nameof(q), q.Length);
        shape.CheckKeys(Op, nameof(k), k.Length);
        shape.CheckKeys(Op, nameof(v), v.Length);
        shape.CheckQueries(Op, nameof(output), output.Length);
        shape.CheckProbs(Op, nameof(probs), probs.Length);
        shape.CheckDocStart(Op, docStart);

        fixed (T* pq = q)
        fixed (T* pk = k)
        fixed (T* pv = v)
        fixed (T* po = output)
        fixed (T* pp = probs)
        fixed (int* pd = docStart)
        {
            // Forward writes nothing shared between query heads, so it splits finer than Backward: one chunk per
            // (b, h), which keeps both cores busy even with a single sequence and one KV head.
            var body = new AttentionForwardBody<T>
            {
                Q = pq, K = pk, V = pv, Output = po, Probs = pp, DocStart = pd, Shape = shape,
                Scale = T.CreateChecked(Math.Pow(headDim, -0.5)),
            };
            CpuParallel.For(batch * heads, body);
        }
    }

    // dout, q: (N, H, D); k, v: (N, Hkv, D); probs: (B, H, T, T) from Forward; docStart: (N).
    // dq: (N, H, D) += ; dk, dv: (N, Hkv, D) += (summed over the H / Hkv query heads sharing each KV head).
    public static unsafe void Backward<T>(
        ReadOnlySpan<T> dout, ReadOnlySpan<T> q, ReadOnlySpan<T> k, ReadOnlySpan<T> v,
        ReadOnlySpan<T> probs, ReadOnlySpan<int> docStart, Span<T> dq, Span<T> dk, Span<T> dv,
        int batch, int seqLen, int heads, int kvHeads, int headDim)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string Op = "Attention.Backward";
        var shape = AttentionDims.Create(Op, batch, seqLen, heads, kvHeads, headDim);
        shape.CheckQueries(Op, nameof(dout), dout.Length);
        shape.CheckQueries(Op, nameof(q), q.Length);
        shape.CheckKeys(Op, nameof(k), k.Length);
        shape.CheckKeys(Op, nameof(v), v.Length);
        shape.CheckProbs(Op, nameof(probs), probs.Length);
        shape.CheckDocStart(Op, docStart);
        shape.CheckQueries(Op, nameof(dq), dq.Length);
        shape.CheckKeys(Op, nameof(dk), dk.Length);
        shape.CheckKeys(Op, nameof(dv), dv.Length);

        fixed (T* pdo = dout)
        fixed (T* pq = q)
        fixed (T* pk = k)
        fixed (T* pv = v)
        fixed (T* pp = probs)
        fixed (int* pd = docStart)
        fixed (T* pdq = dq)
        fixed (T* pdk = dk)
        fixed (T* pdv = dv)
        {
            // One chunk per (b, KV head): every write to dk/dv of that head comes from this chunk, in a fixed
            // order, so the sum over its query heads is deterministic without atomics or a reduction pass.
            var body = new AttentionBackwardBody<T>
            {
                DOut = pdo, Q = pq, K = pk, V = pv, Probs = pp, DocStart = pd, DQ = pdq, DK = pdk, DV = pdv,
                Shape = shape, Scale = T.CreateChecked(Math.Pow(headDim, -0.5)),
            };
            CpuParallel.For(batch * kvHeads, body);
        }
    }

    /// <summary>
    /// Packing restarts positions at 0 for every document, so a document starts wherever a position is 0:
    /// docStart[b,t] = the last t' ≤ t with positions[b,t'] == 0, or 0 when there is none.
    /// </summary>
    // positions: (B, T); docStart: (B, T), overwritten
    public static void DocStartsFromPositions(ReadOnlySpan<int> positions, Span<int> docStart, int batch, int seqLen)
    {
        const string Op = "Attention.DocStartsFromPositions";
        if (batch < 0 || seqLen < 0)
        {
            throw new ArgumentException($"{Op}: batch and seqLen must be non-negative, got batch={batch} seqLen={seqLen}");
        }
        var n = (long)batch * seqLen;
        if (positions.Length != n)
        {
            throw new ArgumentException(
                $"{Op}: positions must have length batch·seqLen = {n}, got {positions.Length}", nameof(positions));
        }
        if (docStart.Length != n)
        {
            throw new ArgumentException(
                $"{Op}: docStart must have length batch·seqLen = {n}, got {docStart.Length}", nameof(docStart));
        }
        for (var b = 0; b < batch; b++)
        {
            var start = 0;
            for (var t = 0; t < seqLen; t++)
            {
                if (positions[b * seqLen + t] == 0)
                {
                    start = t;
                }
                docStart[b * seqLen + t] = start;
            }
        }
    }
}
