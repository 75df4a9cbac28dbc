namespace Pipeline.Workflows.Contracts;

/// <summary>A published dataset version: its name, version and the digest of its files (the directory manifest the
/// publisher stored). Activities bring the files back with the digest; the name and version are for people.</summary>
public sealed record DatasetVersionRef(string Name, string Version, string FilesDigest)
{
    public override string ToString() => $"{Name}@{Version}";
}
