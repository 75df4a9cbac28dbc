namespace Pipeline.Infra.Tracking;

/// <summary>One registered version of a model: where its artifacts are and which run produced them.</summary>
public sealed record ModelVersion(string ModelName, int Version, string Source, string? RunId, DateTimeOffset CreatedAt);
