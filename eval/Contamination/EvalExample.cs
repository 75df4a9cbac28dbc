namespace Pipeline.Eval.Contamination;

/// <summary>An eval row's checked texts as n-gram hashes, in order; each text keeps its words for quoting a match.</summary>
internal sealed record EvalExample(string Id, int Line, ulong[] Hashes, IReadOnlyList<EvalExample.Text> Texts)
{
    /// <summary>A text's normalized words and which of the example's hashes are its n-grams.</summary>
    public sealed record Text(string[] Words, int First, int Count);

    public static EvalExample From(DatasetRow row, NGramHasher hasher)
    {
        var hashes = new List<ulong>();
        var texts = new List<Text>();
        foreach (var text in row.Texts)
        {
            var first = hashes.Count;
            var count = hasher.Hash(text, hashes);
            if (count > 0)
            {
                texts.Add(new Text(hasher.Words(text), first, count));
            }
        }
        return new EvalExample(row.Id, row.Line, [.. hashes], texts);
    }
}
