using System.Text.Json.Serialization;

namespace Pipeline.Serving.Routing;

/// <summary>One arm of an A/B experiment: a name ("champion", "challenger"), the registry version it serves, and its
/// share of users.</summary>
public sealed record ExperimentVariant(
    [property: JsonPropertyName("variant")] string Variant,
    [property: JsonPropertyName("model_version")] int ModelVersion,
    [property: JsonPropertyName("weight")] double Weight);
