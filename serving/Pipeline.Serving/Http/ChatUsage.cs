namespace Pipeline.Serving.Http;

/// <summary>Token counts, as OpenAI reports them.</summary>
public sealed record ChatUsage(int PromptTokens, int CompletionTokens, int TotalTokens);
