using System.Numerics;

namespace Pipeline.ML.Ops;

/// <summary>Token embedding lookup (HF embed_tokens): output row n is table row ids[n].</summary>
public static class Embedding
{
    private const string Op = "Embedding";

    // ids: (N) in [0, vocab); table: (vocab, C); output: (N, C), overwritten
    public static void Forward<T>(ReadOnlySpan<int> ids, ReadOnlySpan<T> table, Span<T> output, int vocab, int channels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(ids, table.Length, "table", vocab, channels);
        OpArgs.Length(Op, "output", output.Length, (long)ids.Length * channels, $"(N, C) = ({ids.Length}, {channels})");
        for (var n = 0; n < ids.Length; n++)
        {
            table.Slice(ids[n] * channels, channels).CopyTo(output.Slice(n * channels, channels));
        }
    }

    /// <summary>
    /// dtable[ids[n]] += dout[n]. Sequential in row order, so rows that share an id are summed in a fixed order
    /// (a scatter-add; parallelising it would need per-id ownership to stay deterministic).
    /// </summary>
    // ids: (N); dout: (N, C); dtable: (vocab, C)
    public static void Backward<T>(ReadOnlySpan<int> ids, ReadOnlySpan<T> dout, Span<T> dtable, int vocab, int channels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(ids, dtable.Length, "dtable", vocab, channels);
        OpArgs.Length(Op, "dout", dout.Length, (long)ids.Length * channels, $"(N, C) = ({ids.Length}, {channels})");
        for (var n = 0; n < ids.Length; n++)
        {
            RowSimd.Add(dout.Slice(n * channels, channels), dtable.Slice(ids[n] * channels, channels));
        }
    }

    private static void CheckShapes(ReadOnlySpan<int> ids, int tableLength, string tableName, int vocab, int channels)
    {
        OpArgs.NonNegative(Op, "vocab", vocab);
        OpArgs.NonNegative(Op, "channels", channels);
        OpArgs.Length(Op, tableName, tableLength, (long)vocab * channels, $"(vocab, C) = ({vocab}, {channels})");
        for (var n = 0; n < ids.Length; n++)
        {
            if ((uint)ids[n] >= (uint)vocab)
            {
                throw new ArgumentException($"{Op}: id {ids[n]} at row {n} is outside [0, {vocab})");
            }
        }
    }
}
