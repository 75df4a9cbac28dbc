using System.Buffers;
using System.Numerics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>
/// Attention backward for one (sequence b, KV head) per chunk, over the query heads that share that KV head.
/// With P the probabilities and dO the upstream gradient, per query row t and key s in its band:
///   dV += Pᵀ·dO                      (dv_s += Σ_t P[t,s]·dO_t)
///   dP  = dO·Vᵀ                      (dP[t,s] = dO_t · v_s)
///   dS  = P ⊙ (dP − rowsum(dP ⊙ P))  (softmax backward)
///   dQ += scale·dS·K                 (dq_t += scale·Σ_s dS[t,s]·k_s)
///   dK += scale·dSᵀ·Q                (dk_s += scale·Σ_t dS[t,s]·q_t)
/// Query rows go in blocks of <see cref="BlockRows"/>: a row pass computes the block's dS and dQ, then a column
/// pass gives each key its dV and dK sum over the block with the accumulators in registers, so dk_s and dv_s are
/// loaded and stored once a block rather than once a query row.
/// </summary>
internal unsafe struct AttentionBackwardBody<T> : IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int BlockRows = 32;

    // The block's dS (BlockRows, T) lives on the stack up to this many elements (64 KB of double); larger rents.
    private const int StackElements = 8192;

    public T* DOut;     // (N, H, D)
    public T* Q;        // (N, H, D)
    public T* K;        // (N, Hkv, D)
    public T* V;        // (N, Hkv, D)
    public T* Probs;    // (B, H, T, T)
    public int* DocStart; // (N)
    public T* DQ;       // (N, H, D)
    public T* DK;       // (N, Hkv, D)
    public T* DV;       // (N, Hkv, D)
    public AttentionDims Shape;
    public T Scale;

    public readonly void Run(int chunk)
    {
        var elements = Math.Min(BlockRows, Shape.SeqLen) * Shape.SeqLen;
        if (elements <= StackElements)
        {
            var scratch = stackalloc T[elements];
            RunGroup(chunk, scratch);
            return;
        }
        var rented = ArrayPool<T>.Shared.Rent(elements);
        try
        {
            fixed (T* scratch = rented)
            {
                RunGroup(chunk, scratch);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    // dS: (BlockRows, T) scratch
    private readonly void RunGroup(int chunk, T* dS)
    {
        var (seqLen, kvHeads) = (Shape.SeqLen, Shape.KvHeads);
        var b = chunk / kvHeads;
        var kvh = chunk % kvHeads;
        for (var h = kvh * Shape.Group; h < (kvh + 1) * Shape.Group; h++)
        {
            for (var t0 = 0; t0 < seqLen; t0 += BlockRows)
            {
                var t1 = Math.Min(seqLen, t0 + BlockRows);
                var firstKey = RowPass(b, h, kvh, t0, t1, dS);
                ColumnPass(b, h, kvh, t0, t1, firstKey, dS);
            }
        }
    }

    // For query rows [t0, t1): dS (pre-multiplied by scale) into dS rows, and dQ. Returns the block's first
    // unmasked key; dS is zero from there up to each row's own band, so the column pass may read it whole.
    private readonly int RowPass(int b, int h, int kvh, int t0, int t1, T* dS)
    {
        var (seqLen, heads, d) = (Shape.SeqLen, Shape.Heads, Shape.HeadDim);
        var rowBase = (long)b * seqLen;
        var kvStride = (long)Shape.KvHeads * d;
        var kvOffset = rowBase * kvStride + (long)kvh * d;
        var keys = K + kvOffset;
        var values = V + kvOffset;
        var firstKey = t0;
        for (var t = t0; t < t1; t++)
        {
            firstKey = Math.Min(firstKey, DocStart[rowBase + t]);
        }

        for (var t = t0; t < t1; t++)
        {
            var rowOffset = (rowBase + t) * heads * d + (long)h * d;
            var p = Probs + (((long)b * heads + h) * seqLen + t) * seqLen;
            var ds = dS + (long)(t - t0) * seqLen;
            var start = DocStart[rowBase + t];
            var count = t - start + 1;

            // dP[s] = dO_t · v_s, four keys at a time.
            var s = start;
            for (; s <= t - 3; s += 4)
            {
                AttentionSimd.Dot4(DOut + rowOffset, values + s * kvStride, kvStride, d, ds + s);
            }
            for (; s <= t; s++)
            {
                ds[s] = AttentionSimd.Dot(DOut + rowOffset, values + s * kvStride, d);
            }

            // dS = P ⊙ (dP − rowsum(dP ⊙ P)), stored as scale·dS.
            var rowSum = AttentionSimd.Dot(ds + start, p + start, count);
            for (s = start; s <= t; s++)
            {
                ds[s] = Scale * (p[s] * (ds[s] - rowSum));
            }
            new Span<T>(ds + firstKey, start - firstKey).Clear();

            // dQ_t += scale·Σ_s dS[s]·k_s
            AttentionRowKernels.WeightedSum(
                DQ + rowOffset, ds + start, 1, keys + start * kvStride, kvStride, count, d, accumulate: true);
        }
        return firstKey;
    }

    // For keys [firstKey, t1): dV_s += Σ_t P[t,s]·dO_t and dK_s += Σ_t scale·dS[t,s]·q_t over the block's rows
    // t ≥ s. Rows whose document starts after s contribute exact zeros (P and dS are 0 there).
    private readonly void ColumnPass(int b, int h, int kvh, int t0, int t1, int firstKey, T* dS)
    {
        var (seqLen, heads, d) = (Shape.SeqLen, Shape.Heads, Shape.HeadDim);
        var rowBase = (long)b * seqLen;
        var kvStride = (long)Shape.KvHeads * d;
        var kvOffset = rowBase * kvStride + (long)kvh * d;
        var qStride = (long)heads * d;
        var headProbs = Probs + ((long)b * heads + h) * seqLen * seqLen;
        for (var s = firstKey; s < t1; s++)
        {
            var from = Math.Max(s, t0);
            var rowOffset = (rowBase + from) * qStride + (long)h * d;
            AttentionRowKernels.WeightedSum(
                DV + kvOffset + s * kvStride, headProbs + (long)from * seqLen + s, seqLen,
                DOut + rowOffset, qStride, t1 - from, d, accumulate: true);
            AttentionRowKernels.WeightedSum(
                DK + kvOffset + s * kvStride, dS + (long)(from - t0) * seqLen + s, seqLen,
                Q + rowOffset, qStride, t1 - from, d, accumulate: true);
        }
    }
}
