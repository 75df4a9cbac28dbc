using Pipeline.ML.Rewards;

namespace Pipeline.ML.Preferences;

/// <summary>
/// Labels completions with any <see cref="IRewardFunction"/> — a rule-based verifier or a trained reward model — by
/// scoring every completion of every prompt in one call. <paramref name="details"/> adds provenance fields (a reward
/// model's hash, a verifier's answer column); "kind" and "reward_function" are always present.
/// </summary>
public sealed class RewardFunctionLabeler(IRewardFunction reward, string kind = "verifier", IReadOnlyDictionary<string, string>? details = null)
    : IPreferenceLabeler
{
    public string Name => $"{kind}:{reward.Name}";

    public IReadOnlyDictionary<string, string> Provenance { get; } = BuildProvenance(reward, kind, details);

    public IReadOnlyList<PromptLabels> Label(IReadOnlyList<PromptCandidates> prompts)
    {
        var inputs = prompts.SelectMany(p => p.Completions.Select(c => new RewardInput(p.PromptId, p.Prompt, c.Text, p.Columns))).ToList();
        var scores = reward.Score(inputs);
        if (scores.Count != inputs.Count)
        {
            throw new InvalidOperationException($"reward function '{reward.Name}' returned {scores.Count} scores for {inputs.Count} completions");
        }
        var labels = new List<PromptLabels>(prompts.Count);
        var at = 0;
        foreach (var p in prompts)
        {
            var mine = scores.Skip(at).Take(p.Completions.Count).ToList();
            if (mine.FindIndex(double.IsNaN) is var nan and >= 0)
            {
                throw new InvalidOperationException($"reward function '{reward.Name}' scored completion {nan} of prompt '{p.PromptId}' NaN");
            }
            labels.Add(PromptLabels.FromScores(mine));
            at += p.Completions.Count;
        }
        return labels;
    }

    private static SortedDictionary<string, string> BuildProvenance(IRewardFunction reward, string kind, IReadOnlyDictionary<string, string>? details)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in details ?? new Dictionary<string, string>())
        {
            fields[key] = value;
        }
        fields["kind"] = kind;
        fields["reward_function"] = reward.Name;
        return fields;
    }
}
