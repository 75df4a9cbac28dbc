using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Training;

/// <summary>
/// Causal-LM pretraining rows from raw text: documents are tokenized, each followed by the end-of-text token,
/// concatenated, and cut into non-overlapping rows of T tokens (nanoGPT/HF run_clm's group_texts). Every token is a
/// target; the final partial row is dropped.
/// </summary>
public static class PretrainingData
{
    public static IReadOnlyList<TrainingRow> FromDocuments(IEnumerable<string> documents, ByteLevelBpeTokenizer tokenizer, int seqLen, int endOfText)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seqLen, 2);
        var stream = new List<int>();
        foreach (var doc in documents)
        {
            stream.AddRange(tokenizer.Encode(doc));
            stream.Add(endOfText);
        }
        return FromTokens(stream, seqLen);
    }

    public static IReadOnlyList<TrainingRow> FromTokens(IReadOnlyList<int> stream, int seqLen)
    {
        var rows = new List<TrainingRow>(stream.Count / seqLen);
        for (var start = 0; start + seqLen <= stream.Count; start += seqLen)
        {
            var ids = new int[seqLen];
            for (var i = 0; i < seqLen; i++)
            {
                ids[i] = stream[start + i];
            }
            rows.Add(new TrainingRow(ids, ids));
        }
        if (rows.Count == 0)
        {
            throw new ArgumentException($"the corpus has {stream.Count} tokens, fewer than one row of {seqLen}");
        }
        return rows;
    }
}
