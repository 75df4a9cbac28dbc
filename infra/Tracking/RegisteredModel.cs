namespace Pipeline.Infra.Tracking;

/// <summary>A named model in the registry; its versions are numbered 1, 2, … in creation order.</summary>
public sealed record RegisteredModel(string Name, DateTimeOffset CreatedAt);
