using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Tracking;
using Pipeline.Ui;
using Pipeline.Workers.Hosting;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline ui [--port N] [--store URI]`: the audit UI alone over a store (the embedded one by default), at
/// 127.0.0.1, until Ctrl+C. No workers and no bus: it reads, and with <c>Ui:Token</c> set it can signal, cancel and
/// terminate (a server's workers then act on those).</summary>
public static class UiCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "Port at 127.0.0.1 (default Ui:Port, 8089; 0: any free one)", HelpName = "N" };
        var cmd = new Command("ui", "Serve the audit UI (workflows, histories, gates, curves, models) over a store, at 127.0.0.1") { port };
        cmd.SetAction(async (p, ct) =>
        {
            (string, string, string)[] extra = p.GetValue(port) is { } n ? [("Pipeline:Ui:Port", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "--port")] : [];
            var config = CliConfig.Load(p, PipelineComponents.Store | PipelineComponents.Artifacts | PipelineComponents.Tracking | PipelineComponents.Recipe, extra);
            var settings = config.Settings;
            var uri = CliOptions.ParseStore(config);
            await using var session = await CliSession.OpenAsync(uri, create: false, ct);
            using var artifacts = ArtifactStores.Open(settings);
            await using var services = new ServiceCollection().AddPipelineTracking(settings, uri.SqlitePath, uri.PostgresConnectionString).BuildServiceProvider();
            var tracking = services.GetRequiredService<ITrackingStore>();
            await using var host = await UiHost.StartAsync(UiService.Options(settings), new UiSources(session.Client, artifacts.Store, tracking), settings.Ui.Port, ct: ct);
            Console.Out.WriteLine($"Audit UI at {host.Url} over {session.Store.Description} ({(settings.Ui.Token is { Length: > 0 } ? "actions need the API token" : "read-only: set Ui:Token to allow actions")}); Ctrl+C stops it");
            using var shutdown = new ShutdownSignal();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, shutdown.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
