using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Infra.Configuration;
using Pipeline.Workers.Hosting;
using Pipeline.Workers.Recipe;

namespace Pipeline.Workers.Cli;

/// <summary>The long-running verbs: `pipeline server` (everything one machine runs: the workers, the
/// DatasetVersionPublished consumer that starts the recipe, the outbox dispatcher and the serving API) and
/// `pipeline worker` (only workers, to add capacity: `--queue gpu` on a GPU machine, `--queue cpu|eval` elsewhere).</summary>
public static class ServerCommands
{
    /// <summary>What one embedded server runs: the workflows and the control steps (default), training (cpu), evaluation (eval).</summary>
    public static readonly IReadOnlyList<string> DefaultServerQueues = ["default", "cpu", "eval"];

    public static Command Server()
    {
        var queues = Queues(required: false);
        var maxActivities = MaxActivities();
        var cmd = new Command("server", "Run the pipeline server: workers per queue, the event consumer that starts the recipe for each "
            + "published dataset version, and the serving API, until Ctrl+C or SIGTERM") { queues, maxActivities };
        cmd.SetAction((p, ct) => RunAsync(p, ProcessRole.Server, p.GetValue(queues)!, p.GetValue(maxActivities), ct));
        return cmd;
    }

    public static Command Worker()
    {
        var queues = Queues(required: true);
        var maxActivities = MaxActivities();
        var cmd = new Command("worker", "Run only workers (no other services), one per queue, until Ctrl+C or SIGTERM") { queues, maxActivities };
        cmd.SetAction((p, ct) => RunAsync(p, ProcessRole.Worker, p.GetValue(queues)!, p.GetValue(maxActivities), ct));
        return cmd;
    }

    private static Option<string[]> Queues(bool required)
    {
        var option = new Option<string[]>("--queue")
        {
            Description = "Task queue to poll; repeat for several" + (required ? " (the recipe's: default, cpu, gpu, eval)" : " (default: default, cpu, eval)"),
            HelpName = "NAME",
            Required = required,
        };
        if (!required) option.DefaultValueFactory = _ => [.. DefaultServerQueues];
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

    private static async Task<int> RunAsync(ParseResult p, ProcessRole role, IReadOnlyList<string> queues, int? maxActivities, CancellationToken ct)
    {
        using var shutdown = new ShutdownSignal();
        (string, string, string)[] debug = CliErrors.Debug ? [("Pipeline:Logging:MinimumLevel", "Debug", "PIPELINE_DEBUG")] : [];
        var config = CliConfig.Load(p, PipelineComponents.All, debug);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, shutdown.Token);
        await using var process = await PipelineProcess.StartAsync(config, role, stop.Token);
        var name = role.ToString().ToLowerInvariant();
        var logger = process.Services.GetRequiredService<ILoggerFactory>().CreateLogger($"Pipeline.{role}");
        shutdown.Received += signal => logger.LogInformation("{Signal} received: stopping gracefully (send it again to stop at once)", signal);
        process.Host.AddPipelineWorkers(queues, maxActivities, process.Services);
        var s = config.Settings;
        logger.LogInformation("pipeline {Role} {Pid}: profile {Profile}, store {Store}, artifacts {Artifacts}, tracking {Tracking}, bus {Bus}, recipe {Recipe}",
            name, Environment.ProcessId, s.Profile, process.Host.Store.Description, s.Artifacts.Store, s.Tracking.Store, s.Bus.Transport,
            process.Services.GetRequiredService<RecipeDefinition>().Source);
        if (process.ServingUrl is { } url) logger.LogInformation("Serving API at {Url} (POST v1/chat/completions, GET v1/models, admin/experiments)", url);
        if (process.UiUrl is { } ui) logger.LogInformation("Audit UI at {Url} ({Mode})", ui, s.Ui.Token is { Length: > 0 } ? "actions need the API token" : "read-only: no Ui:Token");
        if (queues.Any(q => q == "gpu"))
        {
            logger.LogInformation("Queue gpu: device {Device}; this build's training engine runs on the CPU ({Threads} threads), so a gpu worker runs the same kernels as a cpu one",
                "cpu", Environment.ProcessorCount);
        }
        return await process.Host.RunAsync(stop.Token) ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
