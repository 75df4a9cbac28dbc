namespace Pipeline.Infra.Models;

/// <summary>A model package laid out on local disk: the base model folder and the adapter folder, if any.</summary>
public sealed record MaterializedModel(string PackageDigest, string BaseDir, string? AdapterDir);
