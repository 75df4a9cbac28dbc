namespace Pipeline.Serving.Http;

/// <summary>The OpenAI chat completion object, plus the non-standard <see cref="Pipeline"/> routing facts.</summary>
public sealed record ChatCompletionResponse(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<ChatChoice> Choices,
    ChatUsage Usage,
    PipelineRouting Pipeline);
