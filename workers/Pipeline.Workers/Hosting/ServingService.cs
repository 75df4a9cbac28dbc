using Microsoft.Extensions.Hosting;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Tracking;
using Pipeline.Serving;
using Pipeline.Serving.Models;

namespace Pipeline.Workers.Hosting;

/// <summary>The serving API (multi-LoRA, OpenAI-compatible, A/B experiments) as a part of <c>pipeline server</c> and
/// <c>pipeline demo</c>: Kestrel on 127.0.0.1 at <c>Serving:Port</c>, state under the data folder.</summary>
public sealed class ServingService(PipelineSettings settings, IArtifactStore artifacts, ITrackingStore tracking) : IHostedService, IAsyncDisposable
{
    private ServingHost? _host;

    /// <summary>The address workers use to reach it (<c>Serving:Url</c>, else the bound port); set once started.</summary>
    public Uri Url => settings.Serving.UrlFor(_host?.Url.Port ?? throw new InvalidOperationException("the serving API has not started yet"));

    /// <summary>The address it listens on.</summary>
    public Uri ListenUrl => _host?.Url ?? throw new InvalidOperationException("the serving API has not started yet");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dataDir = settings.DataDir;
        var options = new ServingOptions
        {
            DatabasePath = Path.GetFullPath(Path.Combine(dataDir, "serving.db")),
            CacheRoot = Path.GetFullPath(Path.Combine(dataDir, "serving-cache")),
            DefaultMaxTokens = settings.Serving.DefaultMaxTokens,
            ModelNames = [settings.Recipe.ModelName],
        };
        _host = await ServingHost.StartAsync(options, artifacts, tracking, settings.Serving.Port, ct: cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is { } host)
        {
            _host = null;
            await host.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
