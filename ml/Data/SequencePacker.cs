namespace Pipeline.ML.Data;

/// <summary>Lays tokenized examples out in fixed-length rows for training: <see cref="Pack"/> several whole examples
/// per row, or <see cref="Pad"/> one per row. Both give the same row layout (see <see cref="PackedRow"/>), so the
/// model treats them alike; an example longer than seqLen keeps its first seqLen tokens.</summary>
public static class SequencePacker
{
    /// <summary>Best-fit decreasing (TRL's <c>packing_strategy="bfd"</c>): examples, longest first (ties in input
    /// order), each go to the row with the least room that still holds them whole, or start a new row. Rows come in
    /// the order they were started; within a row, examples keep their input order.</summary>
    public static IReadOnlyList<PackedRow> Pack(IReadOnlyList<TokenizedExample> examples, int seqLen, int padId)
    {
        Check(examples, seqLen, padId);
        var bins = new BestFitBins(seqLen);
        var rows = new List<List<int>>();
        var longestFirst = Enumerable.Range(0, examples.Count).OrderByDescending(i => Math.Min(examples[i].InputIds.Length, seqLen));
        foreach (var index in longestFirst)
        {
            var bin = bins.Place(Math.Min(examples[index].InputIds.Length, seqLen));
            if (bin == rows.Count)
            {
                rows.Add([]);
            }

            rows[bin].Add(index);
        }

        return rows.Select(row => Build(row.Order().Select(i => examples[i]), seqLen, padId)).ToArray();
    }

    /// <summary>One example per row, right-padded (the non-packed mode).</summary>
    public static IReadOnlyList<PackedRow> Pad(IReadOnlyList<TokenizedExample> examples, int seqLen, int padId)
    {
        Check(examples, seqLen, padId);
        return examples.Select(example => Build([example], seqLen, padId)).ToArray();
    }

    /// <summary>The fraction of tokens that are not padding: what packing saves compute on. 0 for no rows.</summary>
    public static double Efficiency(IReadOnlyList<PackedRow> rows)
    {
        long total = rows.Sum(row => (long)row.InputIds.Length);
        long padding = rows.Sum(row => (long)row.PaddingTokens);
        return total == 0 ? 0 : (double)(total - padding) / total;
    }

    private static PackedRow Build(IEnumerable<TokenizedExample> examples, int seqLen, int padId)
    {
        var ids = new int[seqLen];
        var labels = new int[seqLen];
        var positions = new int[seqLen];
        var lines = new List<int>();
        var at = 0;
        foreach (var example in examples)
        {
            var length = Math.Min(example.InputIds.Length, seqLen);
            example.InputIds.AsSpan(0, length).CopyTo(ids.AsSpan(at));
            example.Labels.AsSpan(0, length).CopyTo(labels.AsSpan(at));
            labels[at] = TokenizedExample.IgnoreIndex; // its target would be predicted from the previous document
            for (var p = 0; p < length; p++)
            {
                positions[at + p] = p;
            }

            lines.Add(example.Line);
            at += length;
        }

        // Padding is a document of its own: positions restart so no pad is taken as a continuation of an example.
        for (var p = 0; at + p < seqLen; p++)
        {
            ids[at + p] = padId;
            labels[at + p] = TokenizedExample.IgnoreIndex;
            positions[at + p] = p;
        }

        return new PackedRow(ids, labels, positions, lines.ToArray(), seqLen - at);
    }

    private static void Check(IReadOnlyList<TokenizedExample> examples, int seqLen, int padId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seqLen, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padId);
        foreach (var example in examples)
        {
            if (example.InputIds.Length == 0 || example.InputIds.Length != example.Labels.Length)
            {
                throw new ArgumentException(
                    $"the example from line {example.Line} has {example.InputIds.Length} ids and {example.Labels.Length} labels; " +
                    "expected the same, non-zero number", nameof(examples));
            }
        }
    }
}
