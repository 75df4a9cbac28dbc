namespace Pipeline.Serving.Storage;

/// <summary>What one chat completion did: the row A/B stats are computed from. Feedback is set later, by response id.</summary>
public sealed record RequestRecord(
    string ResponseId,
    DateTimeOffset CreatedAt,
    string ModelName,
    int? ModelVersion,
    string? ExperimentId,
    string? Variant,
    string? User,
    double LatencyMs,
    int PromptTokens,
    int CompletionTokens,
    string? Error);
