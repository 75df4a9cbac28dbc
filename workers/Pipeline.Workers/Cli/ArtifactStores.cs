using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Configuration;

namespace Pipeline.Workers.Cli;

/// <summary>The artifact store the settings name, for a CLI verb that is not a long-running host; disposing releases an S3 client.</summary>
public sealed class ArtifactStores : IDisposable
{
    private ArtifactStores(IArtifactStore store) => Store = store;

    public IArtifactStore Store { get; }

    public static ArtifactStores Open(PipelineSettings settings) => new(PipelineServiceCollectionExtensions.CreateArtifactStore(settings));

    public void Dispose() => (Store as IDisposable)?.Dispose();
}
