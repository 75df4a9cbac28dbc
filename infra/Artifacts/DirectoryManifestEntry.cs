namespace Pipeline.Infra.Artifacts;

/// <summary>One file of a directory artifact.</summary>
public sealed record DirectoryManifestEntry(string Path, string Digest, long Size);
