namespace Pipeline.ML.Preferences;

/// <summary>What quality control made of one prompt's candidate pairs: those kept, and how many were dropped for
/// each reason. Kept + dropped is every unordered pair of the prompt's completions.</summary>
public sealed record PromptPairs(IReadOnlyList<PreferencePair> Kept, IReadOnlyDictionary<PairDropReason, int> Dropped)
{
    public int Considered => Kept.Count + Dropped.Values.Sum();
}
