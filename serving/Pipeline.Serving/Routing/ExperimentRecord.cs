using System.Text.Json.Serialization;

namespace Pipeline.Serving.Routing;

/// <summary>One start of an experiment: stats are per <see cref="Id"/>, so a restart begins counting afresh.</summary>
public sealed record ExperimentRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("definition")] ExperimentDefinition Definition,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("ended_at")] DateTimeOffset? EndedAt);
