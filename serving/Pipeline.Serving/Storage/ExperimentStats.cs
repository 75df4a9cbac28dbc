using System.Text.Json.Serialization;

namespace Pipeline.Serving.Storage;

/// <summary>Per-variant stats of one experiment start (<see cref="ExperimentId"/>).</summary>
public sealed record ExperimentStats(
    [property: JsonPropertyName("experiment")] string Name,
    [property: JsonPropertyName("experiment_id")] string ExperimentId,
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("variants")] IReadOnlyList<VariantStats> Variants);
