using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Preferences;

/// <summary>
/// Builds one prompt's preference pairs from its labelled completions, with quality control. Every unordered pair
/// (i, j) of completions is a candidate, and gets exactly one outcome: the first failing check of
/// <see cref="PairQualityOptions"/> names its drop, else it is eligible. A pairwise judgment decides its pair (no tie
/// or both-bad check: there are no scores to compare); otherwise the higher score is chosen.
///
/// Selection: eligible pairs are ranked by score gap, largest first (judgments above all scored pairs; then by chosen,
/// then rejected index), and taken in two passes up to max_pairs_per_prompt — first only pairs whose two completions
/// are not yet in a kept pair, then any. So k = 4 with two right and two wrong answers gives two disjoint pairs that
/// use all four completions, while one right answer against three wrong ones still gives two pairs.
/// </summary>
public static class PairBuilder
{
    public static PromptPairs Build(PromptCandidates prompt, PromptLabels labels, PairQualityOptions quality, DateTimeOffset labelledAt)
    {
        var completions = prompt.Completions;
        if (labels.Scores.Count != completions.Count)
        {
            throw new ArgumentException($"prompt '{prompt.PromptId}': {labels.Scores.Count} scores for {completions.Count} completions");
        }
        var dropped = Enum.GetValues<PairDropReason>().ToDictionary(r => r, _ => 0);
        var eligible = new List<(PreferencePair Pair, double Gap)>();
        for (var i = 0; i < completions.Count; i++)
        {
            for (var j = i + 1; j < completions.Count; j++)
            {
                var outcome = Judge(prompt, labels, quality, i, j, labelledAt);
                if (outcome.Reason is { } reason)
                {
                    dropped[reason]++;
                }
                else
                {
                    eligible.Add((outcome.Pair!, outcome.Gap));
                }
            }
        }
        var ranked = eligible.OrderByDescending(e => e.Gap).ThenBy(e => e.Pair.Chosen).ThenBy(e => e.Pair.Rejected).Select(e => e.Pair).ToList();
        var kept = Select(ranked, quality.MaxPairsPerPrompt);
        dropped[PairDropReason.MaxPairsPerPrompt] += ranked.Count - kept.Count;
        return new PromptPairs(kept, dropped);
    }

    /// <summary>Whether <paramref name="text"/> holds a chat special token's text. Sampling decodes a generated
    /// <c>&lt;|im_start|&gt;</c> as those characters; written into a pair, the template would read them as a turn
    /// boundary, so PreferenceDataset refuses the line — the pair is dropped here instead of breaking training.</summary>
    public static bool ContainsChatMarker(string text) =>
        text.Contains(ChatTemplate.ImStart, StringComparison.Ordinal) || text.Contains(ChatTemplate.ImEnd, StringComparison.Ordinal)
        || text.Contains(ChatTemplate.EndOfText, StringComparison.Ordinal);

    private static (PairDropReason? Reason, PreferencePair? Pair, double Gap) Judge(
        PromptCandidates prompt, PromptLabels labels, PairQualityOptions quality, int i, int j, DateTimeOffset at)
    {
        string a = prompt.Completions[i].Text, b = prompt.Completions[j].Text;
        if (string.IsNullOrWhiteSpace(a) || string.IsNullOrWhiteSpace(b))
        {
            return (PairDropReason.EmptyCompletion, null, 0);
        }
        if (ContainsChatMarker(a) || ContainsChatMarker(b))
        {
            return (PairDropReason.ChatMarker, null, 0);
        }
        if (quality.DropTruncated && (prompt.Completions[i].FinishReason == Generation.FinishReason.Length
            || prompt.Completions[j].FinishReason == Generation.FinishReason.Length))
        {
            return (PairDropReason.TruncatedCompletion, null, 0);
        }
        var (si, sj) = (labels.Scores[i], labels.Scores[j]);
        int chosen, rejected;
        double gap;
        if (labels.Judgments.FirstOrDefault(p => (p.Chosen == i && p.Rejected == j) || (p.Chosen == j && p.Rejected == i)) is { } judgment)
        {
            (chosen, rejected, gap) = (judgment.Chosen, judgment.Rejected, double.PositiveInfinity);
        }
        else if (si is not { } x || sj is not { } y)
        {
            return (PairDropReason.Unlabeled, null, 0);
        }
        else if (Math.Abs(x - y) <= quality.MinScoreGap)
        {
            return (PairDropReason.Tie, null, 0);
        }
        else if (Math.Max(x, y) < quality.GoodThreshold)
        {
            return (PairDropReason.BothBad, null, 0);
        }
        else
        {
            (chosen, rejected, gap) = x > y ? (i, j, x - y) : (j, i, y - x);
        }
        if (TextSimilarity.AtLeast(a, b, quality.NearDuplicateSimilarity))
        {
            return (PairDropReason.NearIdentical, null, 0);
        }
        return (null, new PreferencePair(prompt, chosen, rejected, labels.Scores[chosen], labels.Scores[rejected], at), gap);
    }

    private static List<PreferencePair> Select(List<PreferencePair> ranked, int max)
    {
        var kept = new List<PreferencePair>();
        var used = new HashSet<int>();
        foreach (var pass in new[] { true, false })
        {
            foreach (var pair in ranked)
            {
                if (kept.Count == max)
                {
                    return kept;
                }
                var fresh = !used.Contains(pair.Chosen) && !used.Contains(pair.Rejected);
                if ((pass && fresh) || (!pass && !kept.Contains(pair)))
                {
                    kept.Add(pair);
                    used.Add(pair.Chosen);
                    used.Add(pair.Rejected);
                }
            }
        }
        return kept;
    }
}
