using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Tests.Configuration;

public sealed class PipelineServiceCollectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-di-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IHost Host(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPipelineSettings();
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task StartAsync_ServerProfileWithoutItsServices_FailsWithEveryProblem()
    {
        using var host = Host(new() { ["Pipeline:Profile"] = "Server", ["Pipeline:Artifacts:Store"] = "S3", ["Pipeline:Tracking:Store"] = "Mlflow" });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(e.Failures, f => f.StartsWith("Pipeline:Store:", StringComparison.Ordinal) && f.Contains("PostgreSQL"));
        Assert.Contains(e.Failures, f => f.StartsWith("Pipeline:S3:", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("Pipeline:Mlflow:TrackingUri:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_ValidSettings_StartsAndBindsThem()
    {
        using var host = Host(new() { ["Pipeline:Store"] = "sqlite:x.db", ["Pipeline:Artifacts:Root"] = "a", ["Pipeline:Bus:RetryCount"] = "5" });

        await host.StartAsync();

        var settings = host.Services.GetRequiredService<IOptions<PipelineSettings>>().Value;
        Assert.Equal(5, settings.Bus.RetryCount);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddPipelineArtifactsAndTracking_EmbeddedSettings_ResolveLocalStoreAndTablesInTheStoreFile()
    {
        var settings = new PipelineSettings { Artifacts = new ArtifactSettings { Root = Path.Combine(_dir, "artifacts") } };
        var services = new ServiceCollection()
            .AddPipelineArtifacts(settings)
            .AddPipelineTracking(settings, Path.Combine(_dir, "pipeline.db"), postgresConnectionString: null);
        await using var provider = services.BuildServiceProvider();

        var artifacts = provider.GetRequiredService<IArtifactStore>();
        var tracking = provider.GetRequiredService<ITrackingStore>();
        var stored = await artifacts.PutAsync(new MemoryStream([1, 2, 3]), new ArtifactMetadata(ArtifactKinds.File, "x", DateTimeOffset.UnixEpoch));
        var experiment = await tracking.CreateExperimentAsync("pipeline");

        Assert.IsType<LocalArtifactStore>(artifacts);
        Assert.StartsWith(new Uri(Path.Combine(_dir, "artifacts")).AbsoluteUri, stored.Uri.AbsoluteUri);
        Assert.IsType<SqlTrackingStore>(tracking);
        Assert.Equal(experiment, await tracking.GetExperimentByNameAsync("pipeline"));
    }

    [Fact]
    public void AddPipelineTracking_Mlflow_ResolvesTheRestClient()
    {
        var settings = new PipelineSettings
        {
            Tracking = new TrackingSettings { Store = TrackingStoreKind.Mlflow },
            Mlflow = new MlflowOptions { TrackingUri = new Uri("http://127.0.0.1:1/") },
        };
        using var provider = new ServiceCollection().AddPipelineTracking(settings, null, null).BuildServiceProvider();

        Assert.IsType<MlflowTrackingStore>(provider.GetRequiredService<ITrackingStore>());
    }
}
