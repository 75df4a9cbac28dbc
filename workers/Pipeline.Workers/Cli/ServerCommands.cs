using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Logging;
using Pipeline.Workers.Hosting;

namespace Pipeline.Workers.Cli;

/// <summary>The long-running verbs: `pipeline server` (everything one machine runs: today the workers; later the
/// event consumers, the serving API and the UI) and `pipeline worker` (only workers, to add capacity).</summary>
public static class ServerCommands
{
    public static Command Server()
    {
        var queues = Queues(required: false);
        var maxActivities = MaxActivities();
        var cmd = new Command("server", "Run the pipeline server: a worker per queue for every registered workflow and activity, "
            + "until Ctrl+C or SIGTERM") { queues, maxActivities };
        cmd.SetAction((p, ct) => RunAsync(p, "server", host => host.AddPipelineWorkers(p.GetValue(queues)!, p.GetValue(maxActivities)), ct));
        return cmd;
    }

    public static Command Worker()
    {
        var queues = Queues(required: true);
        var maxActivities = MaxActivities();
        var cmd = new Command("worker", "Run only workers (no other services), one per queue, until Ctrl+C or SIGTERM") { queues, maxActivities };
        cmd.SetAction((p, ct) => RunAsync(p, "worker", host => host.AddPipelineWorkers(p.GetValue(queues)!, p.GetValue(maxActivities)), ct));
        return cmd;
    }

    private static Option<string[]> Queues(bool required)
    {
        var option = new Option<string[]>("--queue")
        {
            Description = "Task queue to poll; repeat for several" + (required ? "" : " (default: default)"),
            HelpName = "NAME",
            Required = required,
        };
        if (!required) option.DefaultValueFactory = _ => ["default"];
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string[]>() is { } q && q.Any(string.IsNullOrWhiteSpace)) r.AddError("--queue must not be empty");
        });
        return option;
    }

    private static Option<int?> MaxActivities()
    {
        var option = new Option<int?>("--max-activities") { Description = "Activity attempts run at once per queue (default 8)", HelpName = "N" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--max-activities must be at least 1");
        });
        return option;
    }

    private static async Task<int> RunAsync(ParseResult p, string role, Action<PipelineHost> configure, CancellationToken ct)
    {
        using var shutdown = new ShutdownSignal();
        (string, string, string)[] debug = CliErrors.Debug ? [("Pipeline:Logging:MinimumLevel", "Debug", "PIPELINE_DEBUG")] : [];
        var config = CliConfig.Load(p, PipelineComponents.All, debug);
        var store = CliOptions.ParseStore(config);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(config.Root);
        builder.Logging.AddPipelineLogging(config.Settings.Logging);
        builder.Services.AddPipelineInfrastructure(config.Settings, store);
        using var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggerFactory.CreateLogger($"Pipeline.{char.ToUpperInvariant(role[0])}{role[1..]}");
        shutdown.Received += signal => logger.LogInformation("{Signal} received: stopping gracefully (send it again to stop at once)", signal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, shutdown.Token);

        // Starting the host validates the settings (ValidateOnStart) and starts the bus and the outbox dispatcher;
        // the bus keeps reconnecting on its own if the broker is down, so a server still starts without it.
        await app.StartAsync(stop.Token);
        try
        {
            await using var session = await CliSession.OpenAsync(store, create: true, stop.Token);
            var host = new PipelineHost(session.Store, loggerFactory);
            configure(host);
            logger.LogInformation("pipeline {Role} {Pid}: profile {Profile}, store {Store}, artifacts {Artifacts}, tracking {Tracking}, bus {Bus}",
                role, Environment.ProcessId, config.Settings.Profile, session.Store.Description, config.Settings.Artifacts.Store,
                config.Settings.Tracking.Store, config.Settings.Bus.Transport);
            return await host.RunAsync(stop.Token) ? ExitCodes.Ok : ExitCodes.Failed;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }
}
