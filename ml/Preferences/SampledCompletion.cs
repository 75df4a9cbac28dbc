using Pipeline.ML.Generation;

namespace Pipeline.ML.Preferences;

/// <summary>One sampled completion of a prompt: its stable <see cref="Index"/> (0..k−1, what labels refer to), its
/// decoded text without the stop token, how many tokens it took, and why it ended.</summary>
public sealed record SampledCompletion(int Index, string Text, int TokenCount, FinishReason FinishReason);
