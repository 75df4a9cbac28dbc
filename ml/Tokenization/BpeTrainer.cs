using System.Text;

namespace Pipeline.ML.Tokenization;

/// <summary>Trains a byte-level BPE the way HF's <c>BpeTrainer</c> does: count pre-tokenized words, start from the
/// 256 byte symbols, repeatedly merge the most frequent adjacent pair (weighted by word count). Pair counts are
/// updated incrementally — only words holding the merged pair are touched — and a lazy max-heap picks the next
/// pair. Ties go to the ordinally smallest (left, right) pair, so the same corpus always gives the same tokenizer.</summary>
public sealed class BpeTrainer(BpeTrainerOptions options)
{
    public ByteLevelBpeTokenizer Train(IEnumerable<string> corpus)
    {
        options.Validate();
        var added = options.SpecialTokens.Select((t, i) => new AddedToken(i, t)).ToArray();
        var tokens = new List<string>(options.SpecialTokens);
        tokens.AddRange(ByteLevelAlphabet.Symbols.Select(c => c.ToString()));
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[tokens[i]] = i;
        }

        var words = CountWords(corpus, new AddedTokenMatcher(added))
            .Select(kv => (Symbols: kv.Key.Select(c => ids[c.ToString()]).ToArray(), Count: kv.Value))
            .ToArray();
        var merges = new List<(string, string)>();
        var state = new BpePairCounts(words.Select(w => w.Symbols).ToArray(), words.Select(w => w.Count).ToArray(), tokens);
        while (tokens.Count < options.VocabSize && state.TryTakeBest(options.MinFrequency, out var left, out var right))
        {
            var merged = tokens[left] + tokens[right];
            if (!ids.TryGetValue(merged, out var newId))
            {
                // Two pairs can spell the same string; like HF, the second reuses the first's id.
                newId = tokens.Count;
                tokens.Add(merged);
                ids[merged] = newId;
            }

            merges.Add((tokens[left], tokens[right]));
            state.Merge(left, right, newId);
        }

        return new ByteLevelBpeTokenizer(ids, merges, added);
    }

    /// <summary>Pre-tokenized words as byte-level strings with their counts; special tokens are cut out first.</summary>
    private static Dictionary<string, long> CountWords(IEnumerable<string> corpus, AddedTokenMatcher matcher)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in corpus)
        {
            foreach (var (piece, tokenId) in matcher.Split(text))
            {
                if (tokenId >= 0)
                {
                    continue;
                }

                foreach (var word in Gpt2PreTokenizer.Split(piece))
                {
                    var key = ByteLevelAlphabet.Map(Encoding.UTF8.GetBytes(word));
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
            }
        }

        return counts;
    }
}
