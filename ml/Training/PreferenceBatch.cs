using Pipeline.ML.Data;
using Pipeline.ML.Models;
using Pipeline.ML.Ops;

namespace Pipeline.ML.Training;

/// <summary>
/// B preference pairs as one batch of 2B right-padded rows — the chosen rows first, then the rejected rows (TRL's
/// concatenated forward) — with labels only on completion tokens, and where each row's completion log-probs lie.
/// </summary>
internal sealed class PreferenceBatch
{
    private PreferenceBatch(TokenBatch tokens, int pairs, int[] start, int[] length)
    {
        Tokens = tokens;
        Pairs = pairs;
        CompletionStart = start;
        CompletionLength = length;
    }

    public TokenBatch Tokens { get; }

    public int Pairs { get; }

    /// <summary>Per row (2B): the flat (B·T) index of the target row that scores the completion's first token.</summary>
    public int[] CompletionStart { get; }

    /// <summary>Per row (2B): completion tokens.</summary>
    public int[] CompletionLength { get; }

    public static PreferenceBatch Create(IReadOnlyList<PreferenceExample> pairs, int seqLen, int padId)
    {
        var rows = pairs.Select(p => (p.Prompt, Completion: p.Chosen)).Concat(pairs.Select(p => (p.Prompt, Completion: p.Rejected))).ToList();
        var ids = new List<int[]>(rows.Count);
        var labels = new List<int[]>(rows.Count);
        var start = new int[rows.Count];
        var length = new int[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var (prompt, completion) = rows[r];
            if (prompt.Length == 0 || completion.Length == 0 || prompt.Length + completion.Length > seqLen)
            {
                throw new ArgumentException(
                    $"a pair needs a prompt and completions that fit {seqLen} tokens, found {prompt.Length} + {completion.Length}");
            }
            var row = Enumerable.Repeat(padId, seqLen).ToArray();
            var label = Enumerable.Repeat(CrossEntropy.IgnoreIndex, seqLen).ToArray();
            prompt.CopyTo(row, 0);
            completion.CopyTo(row, prompt.Length);
            completion.CopyTo(label, prompt.Length);
            ids.Add(row);
            labels.Add(label);
            // Target at position t is token t+1, so the completion's first token is scored at position prompt.Length − 1.
            start[r] = r * seqLen + prompt.Length - 1;
            length[r] = completion.Length;
        }
        return new PreferenceBatch(TokenBatch.Create(ids, labels), pairs.Count, start, length);
    }

    /// <summary>Σ over row <paramref name="row"/>'s completion of the per-token log-probs, in double.</summary>
    // logp: (2B·T)
    public double Sum(ReadOnlySpan<float> logp, int row)
    {
        double sum = 0;
        foreach (var x in logp.Slice(CompletionStart[row], CompletionLength[row]))
        {
            sum += x;
        }
        return sum;
    }
}
