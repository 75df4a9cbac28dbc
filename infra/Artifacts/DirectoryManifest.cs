namespace Pipeline.Infra.Artifacts;

/// <summary>
/// The JSON body of a directory artifact: every file's relative path ('/'-separated, sorted ordinally so the same
/// folder always yields the same manifest digest) and the digest of its own blob.
/// </summary>
public sealed record DirectoryManifest(string Format, IReadOnlyList<DirectoryManifestEntry> Files)
{
    public const string CurrentFormat = "pipeline-directory/v1";

    /// <summary>Set in the manifest artifact's <see cref="ArtifactMetadata.Properties"/> under "content-type".</summary>
    public const string ContentType = "application/vnd.pipeline.directory+json";
}
