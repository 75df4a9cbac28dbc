using System.Text.Json.Serialization;

namespace Pipeline.Serving.Storage;

/// <summary>One variant's numbers since its experiment started. Positive: thumbs up or a score ≥ 0.5.</summary>
public sealed record VariantStats(
    [property: JsonPropertyName("variant")] string Variant,
    [property: JsonPropertyName("model_version")] int? ModelVersion,
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("errors")] int Errors,
    [property: JsonPropertyName("feedback_count")] int FeedbackCount,
    [property: JsonPropertyName("positive")] int Positive,
    [property: JsonPropertyName("mean_score")] double? MeanScore,
    [property: JsonPropertyName("latency_ms")] LatencySummary LatencyMs,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens);
