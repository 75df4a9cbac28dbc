using Pipeline.ML.Generation;

namespace Pipeline.Serving.Models;

/// <summary>One generated reply with its token counts.</summary>
public sealed record Completion(string Text, FinishReason FinishReason, int PromptTokens, int CompletionTokens);
