using Microsoft.Extensions.Hosting;
using Pipeline.Durable.Client;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Tracking;
using Pipeline.Ui;

namespace Pipeline.Workers.Hosting;

/// <summary>The audit UI as a part of <c>pipeline server</c>: Kestrel on 127.0.0.1 at <c>Ui:Port</c>, over the
/// server's own workflow store, artifact store and tracking store.</summary>
public sealed class UiService(PipelineSettings settings, WorkflowClient client, IArtifactStore artifacts, ITrackingStore tracking) : IHostedService, IAsyncDisposable
{
    private UiHost? _host;

    /// <summary>The address it listens on; set once started.</summary>
    public Uri Url => _host?.Url ?? throw new InvalidOperationException("the audit UI has not started yet");

    public static UiOptions Options(PipelineSettings settings) => new()
    {
        Token = settings.Ui.Token is { Length: > 0 } t ? t : null,
        Experiments = [settings.Tracking.Experiment],
    };

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _host = await UiHost.StartAsync(Options(settings), new UiSources(client, artifacts, tracking), settings.Ui.Port, ct: cancellationToken);

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
