using System.Text.Json.Nodes;

namespace Pipeline.ML.Preferences;

/// <summary>
/// Everything sampled in one run, with where it came from: the checkpoint's hash and the sampling config (as
/// <see cref="PreferenceSamplingOptions.ToJson"/> writes it), which every preference pair built from it carries.
/// <see cref="DuplicatePromptIds"/> are the prompts skipped because an earlier prompt had the same normalised text.
/// </summary>
public sealed record CandidateSet(
    IReadOnlyList<PromptCandidates> Prompts,
    string ModelCheckpointHash,
    JsonObject Sampling,
    IReadOnlyList<string> DuplicatePromptIds)
{
    /// <summary>Prompts read: the sampled ones plus the duplicates skipped.</summary>
    public int PromptsRead => Prompts.Count + DuplicatePromptIds.Count;
}
