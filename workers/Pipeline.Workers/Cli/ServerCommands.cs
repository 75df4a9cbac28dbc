using System.CommandLine;
using Microsoft.Extensions.Logging;
using Pipeline.Workers.Hosting;
using Pipeline.Workers.Logging;

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
        using var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(CliErrors.Debug ? LogLevel.Debug : LogLevel.Information)
            .AddProvider(new StderrLoggerProvider(CliErrors.Debug ? LogLevel.Debug : LogLevel.Information)));
        var logger = loggerFactory.CreateLogger($"Pipeline.{char.ToUpperInvariant(role[0])}{role[1..]}");
        shutdown.Received += signal => logger.LogInformation("{Signal} received: stopping gracefully (send it again to stop at once)", signal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, shutdown.Token);
        await using var session = await CliSession.OpenAsync(p, create: true, stop.Token);
        var host = new PipelineHost(session.Store, loggerFactory);
        configure(host);
        logger.LogInformation("pipeline {Role} {Pid} on {Store}", role, Environment.ProcessId, session.Store.Description);
        return await host.RunAsync(stop.Token) ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
