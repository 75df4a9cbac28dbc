using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Preferences;

/// <summary>A prompt and the completions sampled for it — what a labeler judges. <see cref="Prompt"/> is the text the
/// model saw (a conversational prompt rendered with its generation prompt); <see cref="Messages"/> is set for a
/// conversational prompt; <see cref="Columns"/> are the prompt row's other fields (what a verifier reads).</summary>
public sealed record PromptCandidates(
    string PromptId,
    string Prompt,
    IReadOnlyList<ChatMessage>? Messages,
    IReadOnlyDictionary<string, string> Columns,
    IReadOnlyList<SampledCompletion> Completions);
