using Pipeline.ML.Ops;

namespace Pipeline.ML.Models;

/// <summary>
/// B sequences of T tokens as the model consumes them: input ids, RoPE positions, each token's document start (for
/// packed sequences, whose positions restart at 0 per document) and next-token targets. All arrays are (B·T),
/// row-major by sequence.
/// </summary>
public sealed class TokenBatch
{
    private TokenBatch(int batch, int seqLen, int[] inputIds, int[] positions, int[] targets)
    {
        Batch = batch;
        SeqLen = seqLen;
        InputIds = inputIds;
        Positions = positions;
        Targets = targets;
        DocStart = new int[inputIds.Length];
        Attention.DocStartsFromPositions(positions, DocStart, batch, seqLen);
    }

    public int Batch { get; }

    public int SeqLen { get; }

    public int Rows => Batch * SeqLen;

    public int[] InputIds { get; }

    public int[] Positions { get; }

    public int[] DocStart { get; }

    /// <summary>targets[b, t] = labels[b, t+1], and <see cref="CrossEntropy.IgnoreIndex"/> at t = T−1 (HF's shift).</summary>
    public int[] Targets { get; }

    /// <summary>
    /// Builds a batch from HF-style rows: labels use −100 for positions without loss; positions default to
    /// 0..T−1. Rows must all have the same length.
    /// </summary>
    public static TokenBatch Create(IReadOnlyList<int[]> inputIds, IReadOnlyList<int[]> labels, IReadOnlyList<int[]>? positionIds = null)
    {
        if (inputIds.Count == 0)
        {
            throw new ArgumentException("input_ids has no rows");
        }
        var b = inputIds.Count;
        var t = inputIds[0].Length;
        if (t == 0)
        {
            throw new ArgumentException("input_ids rows are empty");
        }
        CheckRows(inputIds, b, t, "input_ids");
        CheckRows(labels, b, t, "labels");
        if (positionIds is not null)
        {
            CheckRows(positionIds, b, t, "position_ids");
        }
        var ids = new int[b * t];
        var pos = new int[b * t];
        var targets = new int[b * t];
        for (var r = 0; r < b; r++)
        {
            inputIds[r].CopyTo(ids, r * t);
            for (var i = 0; i < t; i++)
            {
                pos[r * t + i] = positionIds is null ? i : positionIds[r][i];
                targets[r * t + i] = i + 1 < t ? labels[r][i + 1] : CrossEntropy.IgnoreIndex;
            }
        }
        return new TokenBatch(b, t, ids, pos, targets);
    }

    /// <summary>A batch whose targets are the inputs shifted by one (causal-LM pretraining on raw text).</summary>
    public static TokenBatch CausalLm(IReadOnlyList<int[]> inputIds) => Create(inputIds, inputIds);

    private static void CheckRows(IReadOnlyList<int[]> rows, int b, int t, string name)
    {
        if (rows.Count != b)
        {
            throw new ArgumentException($"{name} has {rows.Count} rows, expected {b} (one per input_ids row)");
        }
        for (var r = 0; r < b; r++)
        {
            if (rows[r].Length != t)
            {
                throw new ArgumentException($"{name} row {r} has {rows[r].Length} tokens, expected {t} (rows must have equal length)");
            }
        }
    }
}
