namespace Pipeline.ML.Preferences;

/// <summary>One kept pair: completion <see cref="Chosen"/> of <see cref="Prompt"/> preferred to <see cref="Rejected"/>,
/// their scores (null when a pairwise judgment decided it without scores) and when it was labelled.</summary>
public sealed record PreferencePair(
    PromptCandidates Prompt, int Chosen, int Rejected, double? ChosenScore, double? RejectedScore, DateTimeOffset LabelledAt)
{
    public string ChosenText => Prompt.Completions[Chosen].Text;

    public string RejectedText => Prompt.Completions[Rejected].Text;
}
