using Pipeline.ML.Models;
using Pipeline.ML.Ops;

namespace Pipeline.ML.Rewards;

/// <summary>
/// B token rows of different lengths, right-padded to the longest, and where each row's last real token is: the
/// reward is read there. HF's LlamaForSequenceClassification finds that token from pad_token_id; we take it from
/// the row's length, which gives the same index whenever the pad id does not also end the row (with pad = EOS, HF
/// would skip a trailing EOS and score the token before it). Padding never changes the reward: attention is causal,
/// so no real token attends to the padding after it.
/// </summary>
public sealed class RewardBatch
{
    private RewardBatch(TokenBatch tokens, int[] lengths)
    {
        Tokens = tokens;
        Lengths = lengths;
    }

    /// <summary>The padded rows (B, T) as the backbone reads them; targets are all ignored (no LM loss).</summary>
    public TokenBatch Tokens { get; }

    /// <summary>Real tokens in each row (B); the reward is read at index Lengths[b] − 1.</summary>
    public int[] Lengths { get; }

    public int Batch => Tokens.Batch;

    /// <param name="rows">Token ids, each non-empty; any lengths.</param>
    /// <param name="padId">Fills rows up to the longest (any valid id: padding is never read).</param>
    /// <param name="seqLen">Pads to this length instead of the longest row's (fewer activation shapes in training).</param>
    public static RewardBatch Create(IReadOnlyList<int[]> rows, int padId = 0, int? seqLen = null)
    {
        if (rows.Count == 0)
        {
            throw new ArgumentException("a reward batch needs at least one row");
        }
        for (var b = 0; b < rows.Count; b++)
        {
            if (rows[b].Length == 0)
            {
                throw new ArgumentException($"reward row {b} is empty: there is no token to read a reward at");
            }
        }
        var longest = rows.Max(r => r.Length);
        var t = seqLen ?? longest;
        if (t < longest)
        {
            throw new ArgumentException($"cannot pad to {t} tokens: the longest row has {longest}");
        }
        var ids = new List<int[]>(rows.Count);
        foreach (var row in rows)
        {
            var padded = new int[t];
            row.CopyTo(padded, 0);
            padded.AsSpan(row.Length).Fill(padId);
            ids.Add(padded);
        }
        var labels = Enumerable.Repeat(Enumerable.Repeat(CrossEntropy.IgnoreIndex, t).ToArray(), rows.Count).ToList();
        return new RewardBatch(TokenBatch.Create(ids, labels), rows.Select(r => r.Length).ToArray());
    }
}
