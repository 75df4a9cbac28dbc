namespace Pipeline.Serving.Http;

/// <summary>The OpenAI chat completion request fields the server honours. <c>stream</c> is refused.</summary>
public sealed record ChatCompletionRequest(
    string? Model,
    IReadOnlyList<ChatMessageDto>? Messages,
    string? User = null,
    int? MaxTokens = null,
    double? Temperature = null,
    double? TopP = null,
    ulong? Seed = null,
    bool? Stream = null);
