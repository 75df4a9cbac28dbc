using Pipeline.Eval.Suites;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tokenization;

namespace Pipeline.Eval.Running;

/// <summary>Turns a response's per-token log-probs into the suite's confidence (see <see cref="ConfidenceKind"/>).</summary>
internal static class ResponseConfidence
{
    /// <param name="tokens">the generated tokens (stop token included), aligned with <paramref name="logps"/>.</param>
    public static double Of(ConfidenceKind kind, int[] tokens, float[] logps, ByteLevelBpeTokenizer tokenizer)
    {
        if (kind == ConfidenceKind.Answer && AnswerSpan(tokens, tokenizer) is var (first, last))
        {
            return Math.Exp(logps[first..(last + 1)].Sum(x => (double)x));
        }
        return Math.Exp(logps.Sum(x => (double)x));
    }

    // The token indices covering the last integer of the decoded text: token i covers the characters its decoding adds
    // to the prefix before it.
    private static (int First, int Last)? AnswerSpan(int[] tokens, ByteLevelBpeTokenizer tokenizer)
    {
        if (LastIntegerReward.LastIntegerSpan(tokenizer.Decode(tokens)) is not var (start, length))
        {
            return null;
        }
        var end = start + length;
        int? first = null, last = null;
        for (int i = 0, from = 0; i < tokens.Length; i++)
        {
            var to = tokenizer.Decode(tokens[..(i + 1)]).Length;
            if (to > start && from < end)
            {
                first ??= i;
                last = i;
            }
            from = to;
        }
        return first is { } f ? (f, last!.Value) : null;
    }
}
