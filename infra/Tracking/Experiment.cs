namespace Pipeline.Infra.Tracking;

/// <summary>A named group of runs (one per recipe or study). Ids are opaque strings, as in MLflow.</summary>
public sealed record Experiment(string Id, string Name);
