namespace Pipeline.Infra.Configuration;

/// <summary>The <c>Pipeline:Artifacts</c> section.</summary>
public sealed record ArtifactSettings
{
    /// <summary>Where artifacts go. Default: <c>Local</c> in the embedded profile, <c>S3</c> in the server profile.</summary>
    public ArtifactStoreKind Store { get; init; } = ArtifactStoreKind.Local;

    /// <summary>Root folder of the local store. Default <c>{DataDir}/artifacts</c>.</summary>
    public string Root { get; init; } = "";
}
