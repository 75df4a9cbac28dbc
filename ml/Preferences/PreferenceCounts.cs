using System.Text.Json.Nodes;

namespace Pipeline.ML.Preferences;

/// <summary>
/// The tallies of one collection, every one accounted for: prompts read = sampled + duplicates; candidate pairs (each
/// unordered pair of a sampled prompt's completions) = kept + the drops of every <see cref="PairDropReason"/>.
/// </summary>
public sealed record PreferenceCounts(
    int PromptsRead,
    int DuplicatePrompts,
    int PromptsSampled,
    int CompletionsSampled,
    int EmptyCompletions,
    int PromptsWithPairs,
    int CandidatePairs,
    int PairsKept,
    IReadOnlyDictionary<PairDropReason, int> PairsDropped)
{
    public static PreferenceCounts Tally(CandidateSet candidates, IReadOnlyList<PromptPairs> perPrompt)
    {
        var dropped = Enum.GetValues<PairDropReason>().ToDictionary(r => r, r => perPrompt.Sum(p => p.Dropped[r]));
        var completions = candidates.Prompts.SelectMany(p => p.Completions).ToList();
        return new PreferenceCounts(
            candidates.PromptsRead, candidates.DuplicatePromptIds.Count, candidates.Prompts.Count, completions.Count,
            completions.Count(c => string.IsNullOrWhiteSpace(c.Text)), perPrompt.Count(p => p.Kept.Count > 0),
            perPrompt.Sum(p => p.Considered), perPrompt.Sum(p => p.Kept.Count), dropped);
    }

    /// <summary>The reason's name in files and summaries: "both_bad", "max_pairs_per_prompt", ….</summary>
    public static string Key(PairDropReason reason) => reason switch
    {
        PairDropReason.EmptyCompletion => "empty_completion",
        PairDropReason.ChatMarker => "chat_marker",
        PairDropReason.TruncatedCompletion => "truncated_completion",
        PairDropReason.Unlabeled => "unlabeled",
        PairDropReason.Tie => "tie",
        PairDropReason.BothBad => "both_bad",
        PairDropReason.NearIdentical => "near_identical",
        PairDropReason.MaxPairsPerPrompt => "max_pairs_per_prompt",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public JsonObject ToJson() => new()
    {
        ["prompts_read"] = PromptsRead,
        ["duplicate_prompt"] = DuplicatePrompts,
        ["prompts_sampled"] = PromptsSampled,
        ["completions_sampled"] = CompletionsSampled,
        ["empty_completions"] = EmptyCompletions,
        ["prompts_with_pairs"] = PromptsWithPairs,
        ["candidate_pairs"] = CandidatePairs,
        ["pairs_kept"] = PairsKept,
        ["pairs_dropped"] = new JsonObject(Enum.GetValues<PairDropReason>().Select(r => KeyValuePair.Create(Key(r), (JsonNode?)PairsDropped[r]))),
    };

    /// <summary>Two lines for a terminal: what was kept, and why the rest was not.</summary>
    public override string ToString()
    {
        var drops = string.Join(", ", Enum.GetValues<PairDropReason>().Select(r => $"{Key(r)} {PairsDropped[r]}"));
        return $"{PairsKept} pairs from {PromptsWithPairs} of {PromptsSampled} prompts ({CompletionsSampled} completions; " +
            $"{DuplicatePrompts} duplicate prompts skipped)\n" +
            $"{CandidatePairs} candidate pairs: kept {PairsKept}; dropped {drops}";
    }
}
