namespace Pipeline.ML.Preferences;

/// <summary>
/// Judges sampled completions so pairs can be built: a verifier or reward model (<see cref="RewardFunctionLabeler"/>),
/// or people (<see cref="HumanLabeler"/>). A new kind of labeler implements this and names itself in
/// <see cref="Provenance"/>, which every pair it labelled carries.
/// </summary>
public interface IPreferenceLabeler
{
    /// <summary>Who labelled, for provenance and summaries: "verifier:last_integer", "human", …</summary>
    string Name { get; }

    /// <summary>What identifies this labeler's judgments beyond its name, as string fields: the reward function, a
    /// reward model's hash, a labels file's sha256. Written under "labeler" in every pair's provenance.</summary>
    IReadOnlyDictionary<string, string> Provenance { get; }

    /// <summary>One <see cref="PromptLabels"/> per prompt, in order. All prompts at once, so a model can batch.</summary>
    IReadOnlyList<PromptLabels> Label(IReadOnlyList<PromptCandidates> prompts);
}
