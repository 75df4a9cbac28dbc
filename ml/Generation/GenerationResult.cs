namespace Pipeline.ML.Generation;

/// <summary>One prompt's completion: the generated token ids (stop token included), the decoded text when a tokenizer was given (cut before a stop string), and why it ended.</summary>
public sealed record GenerationResult(int[] Tokens, string? Text, FinishReason FinishReason);
