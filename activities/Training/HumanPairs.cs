using Pipeline.ML.Preferences;
using Pipeline.ML.Tokenization;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Training;

/// <summary>The preferences people sent with the <c>AddHumanPreferences</c> signal, as pairs: the prompt one user
/// message, each answer one assistant message. The same checks the sampled pairs pass: a pair with an empty side, equal
/// sides, or a chat marker in any text (the DPO loader would refuse the line) is dropped and counted, not trained on.</summary>
internal static class HumanPairs
{
    public static (IReadOnlyList<PairLine> Kept, int Dropped) Lines(IReadOnlyList<HumanPreference> preferences)
    {
        var kept = new List<PairLine>();
        foreach (var (p, i) in preferences.Select((p, i) => (p, i)))
        {
            var texts = new[] { p.Prompt, p.Chosen, p.Rejected };
            if (texts.Any(string.IsNullOrWhiteSpace) || texts.Any(PairBuilder.ContainsChatMarker) || p.Chosen.Trim() == p.Rejected.Trim()) continue;
            kept.Add(new PairLine($"human:{p.Labeler}", $"human-{i}", [new ChatMessage("user", p.Prompt)], p.Chosen, p.Rejected));
        }
        return (kept, preferences.Count - kept.Count);
    }
}
