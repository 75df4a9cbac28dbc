namespace Pipeline.Eval.Results;

/// <summary>Which dataset version an eval run read, as its manifest names it.</summary>
public sealed record DatasetRef(string Name, string Version, string ManifestSha256);
