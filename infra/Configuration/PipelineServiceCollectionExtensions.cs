using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Configuration;

/// <summary>Registers the settings and the adapters they choose. The executables call these from one
/// AddPipelineXxx of their own; the event bus has <see cref="Bus.BusServiceCollectionExtensions.AddPipelineBus"/>.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary><see cref="PipelineSettings"/> bound from the <c>Pipeline</c> section of the registered IConfiguration and
    /// validated when the host starts (the options pattern's ValidateOnStart), for the parts <paramref name="components"/> names.</summary>
    public static IServiceCollection AddPipelineSettings(this IServiceCollection services, PipelineComponents components = PipelineComponents.All)
    {
        services.AddOptions<PipelineSettings>().BindConfiguration(PipelineSettings.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineSettings>>(new PipelineSettingsValidator(components));
        return services;
    }

    /// <summary>The <see cref="IArtifactStore"/> <c>Pipeline:Artifacts:Store</c> names: a local folder or S3.</summary>
    public static IServiceCollection AddPipelineArtifacts(this IServiceCollection services, PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(_ => CreateArtifactStore(settings));
        return services;
    }

    /// <summary>A new instance of the store <c>Pipeline:Artifacts:Store</c> names, for code outside a container (CLI verbs);
    /// an S3 store is <see cref="IDisposable"/>.</summary>
    public static IArtifactStore CreateArtifactStore(PipelineSettings settings) => settings.Artifacts.Store == ArtifactStoreKind.S3
        ? new S3ArtifactStore(settings.S3)
        : new LocalArtifactStore(Path.GetFullPath(settings.Artifacts.Root));

    /// <summary>The <see cref="ITrackingStore"/> <c>Pipeline:Tracking:Store</c> names: MLflow, or the embedded one in the
    /// workflow store's database (<paramref name="sqlitePath"/> or <paramref name="postgresConnectionString"/>).</summary>
    public static IServiceCollection AddPipelineTracking(this IServiceCollection services, PipelineSettings settings,
        string? sqlitePath, string? postgresConnectionString)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Tracking.Store == TrackingStoreKind.Mlflow)
        {
            var options = settings.Mlflow ?? throw new ArgumentException("Pipeline:Mlflow:TrackingUri is required when Pipeline:Tracking:Store is Mlflow.");
            services.AddSingleton<ITrackingStore>(_ => new MlflowTrackingStore(new HttpClient(), options));
            return services;
        }
        if (sqlitePath is null && postgresConnectionString is null)
            throw new ArgumentException("the embedded tracking store needs the workflow store's SQLite path or PostgreSQL connection string.");
        // Opening creates the tables: once, when first resolved (at start, before any run uses it), so blocking is fine here.
        services.AddSingleton<ITrackingStore>(_ => (sqlitePath is not null
            ? SqlTrackingStore.OpenSqliteAsync(sqlitePath)
            : SqlTrackingStore.OpenPostgresAsync(postgresConnectionString!)).GetAwaiter().GetResult());
        return services;
    }
}
