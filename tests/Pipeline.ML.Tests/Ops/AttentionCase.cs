using System.Numerics;
using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

/// <summary>An attention problem: dimensions, per-row document starts and random q, k, v; runs the op in T.</summary>
internal sealed record AttentionCase(int Batch, int SeqLen, int Heads, int KvHeads, int HeadDim, int[] DocStart)
{
    /// <summary>Plain causal attention: every document starts at 0.</summary>
    public static AttentionCase Causal(int batch, int seqLen, int heads, int kvHeads, int headDim) =>
        new(batch, seqLen, heads, kvHeads, headDim, new int[batch * seqLen]);

    /// <summary>Packed sequences, given as positions (B, T) restarting at 0 for each document.</summary>
    public static AttentionCase Packed(int[][] positions, int heads, int kvHeads, int headDim)
    {
        var flat = positions.SelectMany(p => p).ToArray();
        var docStart = new int[flat.Length];
        Attention.DocStartsFromPositions(flat, docStart, positions.Length, positions[0].Length);
        return new(positions.Length, positions[0].Length, heads, kvHeads, headDim, docStart);
    }

    public int QLength => Batch * SeqLen * Heads * HeadDim;

    public int KvLength => Batch * SeqLen * KvHeads * HeadDim;

    public int ProbsLength => Batch * Heads * SeqLen * SeqLen;

    public Dictionary<string, double[]> RandomInputs(int seed, double scale = 1.0) => new()
    {
        ["q"] = GradCheck.Random(QLength, seed, scale),
        ["k"] = GradCheck.Random(KvLength, seed + 1, scale),
        ["v"] = GradCheck.Random(KvLength, seed + 2),
    };

    // q: (N, H, D); k, v: (N, Hkv, D) → output (N, H, D), probs (B, H, T, T)
    public (T[] Output, T[] Probs) Forward<T>(T[] q, T[] k, T[] v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = new T[QLength];
        var probs = new T[ProbsLength];
        Attention.Forward<T>(q, k, v, output, probs, DocStart, Batch, SeqLen, Heads, KvHeads, HeadDim);
        return (output, probs);
    }

    // Runs Forward for probs, then ADDS the gradients into dq, dk, dv.
    public void Backward<T>(T[] dout, T[] q, T[] k, T[] v, T[] dq, T[] dk, T[] dv)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (_, probs) = Forward(q, k, v);
        Attention.Backward<T>(dout, q, k, v, probs, DocStart, dq, dk, dv, Batch, SeqLen, Heads, KvHeads, HeadDim);
    }

    public (double[] Output, double[] Probs) Reference(IReadOnlyDictionary<string, double[]> inputs) =>
        AttentionReference.Forward(inputs["q"], inputs["k"], inputs["v"], DocStart, Batch, SeqLen, Heads, KvHeads, HeadDim);
}
