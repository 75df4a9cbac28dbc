using Pipeline.ML.Data;

namespace Pipeline.ML.Tests.Data;

/// <summary>Examples with recognisable ids, and the slow reference packers the real one is checked against.</summary>
internal static class PackingFixtures
{
    /// <summary>Example n (line n) has ids n*1000+1, n*1000+2, … and loss on every token.</summary>
    public static TokenizedExample[] Examples(IEnumerable<int> lengths) =>
        lengths.Select((length, i) =>
        {
            var ids = Enumerable.Range((i + 1) * 1000 + 1, length).ToArray();
            return new TokenizedExample(ids, (int[])ids.Clone(), i + 1);
        }).ToArray();

    public static int[] Lengths(int count, int max, ulong seed)
    {
        var random = new SplitMix64(seed);
        return Enumerable.Range(0, count).Select(_ => 1 + (int)random.NextBelow((ulong)max)).ToArray();
    }

    /// <summary>The real documents of a row, cut where positions restart; the padding tail is left out.</summary>
    public static List<(int[] Ids, int[] Labels)> Documents(PackedRow row)
    {
        var end = row.InputIds.Length - row.PaddingTokens;
        var starts = Enumerable.Range(0, end).Where(i => row.PositionIds[i] == 0).Append(end).ToArray();
        return starts.Zip(starts.Skip(1), (from, to) => (row.InputIds[from..to], row.Labels[from..to])).ToList();
    }

    public static int GreedyRows(IReadOnlyList<TokenizedExample> examples, int seqLen)
    {
        var rows = 0;
        var room = 0;
        foreach (var length in examples.Select(e => e.InputIds.Length))
        {
            if (length > room)
            {
                rows++;
                room = seqLen;
            }

            room -= length;
        }

        return rows;
    }

    /// <summary>Best-fit decreasing by scanning every row: slow, obviously right.</summary>
    public static List<List<int>> ReferenceBestFitDecreasing(IReadOnlyList<TokenizedExample> examples, int seqLen)
    {
        var rows = new List<(int Room, List<int> Lines)>();
        foreach (var example in examples.OrderByDescending(e => e.InputIds.Length))
        {
            var best = -1;
            for (var r = 0; r < rows.Count; r++)
            {
                if (rows[r].Room >= example.InputIds.Length && (best < 0 || rows[r].Room < rows[best].Room))
                {
                    best = r;
                }
            }

            if (best < 0)
            {
                rows.Add((seqLen, []));
                best = rows.Count - 1;
            }

            rows[best] = (rows[best].Room - example.InputIds.Length, rows[best].Lines);
            rows[best].Lines.Add(example.Line);
        }

        return rows.Select(r => r.Lines.Order().ToList()).ToList();
    }
}
