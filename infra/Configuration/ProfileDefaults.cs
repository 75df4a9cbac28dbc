using Pipeline.Infra.Bus;

namespace Pipeline.Infra.Configuration;

/// <summary>The lowest configuration layer: what each profile means, and the paths under the data folder.</summary>
internal static class ProfileDefaults
{
    public static OriginConfigurationSource For(PipelineProfile profile, string dataDir)
    {
        var origin = $"{profile.ToString().ToLowerInvariant()} profile default";
        var layer = new OriginConfigurationSource(origin);
        var server = profile == PipelineProfile.Server;
        void Set(string key, string value) => layer.Set(PipelineSettings.Section + ":" + key, value, origin);

        // The server profile has no default store: a PostgreSQL address is the one thing it cannot guess.
        if (!server) Set("Store", "sqlite:" + Path.Combine(dataDir, "pipeline.db"));
        Set("Artifacts:Store", (server ? ArtifactStoreKind.S3 : ArtifactStoreKind.Local).ToString());
        Set("Artifacts:Root", Path.Combine(dataDir, "artifacts"));
        Set("Tracking:Store", (server ? TrackingStoreKind.Mlflow : TrackingStoreKind.Embedded).ToString());
        Set("Bus:Transport", (server ? BusTransport.RabbitMq : BusTransport.InMemory).ToString());
        Set("Bus:OutboxPath", Path.Combine(dataDir, "outbox.db"));
        Set("Logging:FilePath", Path.Combine(dataDir, "logs", "pipeline-.clef"));
        Set("Recipe:Workspace", Path.Combine(dataDir, "work"));
        return layer;
    }
}
