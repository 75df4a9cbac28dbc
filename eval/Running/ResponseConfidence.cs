using System.Text.RegularExpressions;
using Pipeline.Eval.Suites;
using Pipeline.ML.Tokenization;

namespace Pipeline.Eval.Running;

/// <summary>Turns a response's per-token log-probs into the suite's confidence (see <see cref="ConfidenceKind"/>).</summary>
internal static partial class ResponseConfidence
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
        var text = tokenizer.Decode(tokens);
        var matches = Integer().Matches(text);
        if (matches.Count == 0)
        {
            return null;
        }
        var (start, end) = (matches[^1].Index, matches[^1].Index + matches[^1].Length);
        int? first = null, last = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            var (from, to) = (tokenizer.Decode(tokens[..i]).Length, tokenizer.Decode(tokens[..(i + 1)]).Length);
            if (to > start && from < end)
            {
                first ??= i;
                last = i;
            }
        }
        return first is { } f ? (f, last!.Value) : null;
    }

    [GeneratedRegex(@"-?\d+")]
    private static partial Regex Integer();
}
