namespace Pipeline.Infra.Configuration;

/// <summary>Which <see cref="Artifacts.IArtifactStore"/> the pipeline writes to.</summary>
public enum ArtifactStoreKind
{
    /// <summary><see cref="Artifacts.LocalArtifactStore"/> under <see cref="ArtifactSettings.Root"/>.</summary>
    Local,

    /// <summary><see cref="Artifacts.S3ArtifactStore"/> with the <c>Pipeline:S3</c> settings.</summary>
    S3,
}
