using System.CommandLine;
using Pipeline.Infra.Configuration;
using Pipeline.Workers.Hosting;
using Pipeline.Workers.Recipe;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline demo`: the whole recipe on this machine. A server process (workers for every queue, the event
/// consumer, the serving API) runs in the background of the command while <see cref="DemoRunner"/> publishes the next
/// demo dataset version and follows the run it starts to its summary.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var version = new Option<string>("--version") { Description = "Demo dataset version to run (default: the first not yet run: v1, then v2)", HelpName = "V" };
        var summary = new Option<string>("--summary") { Description = "Also write the summary (stages, models, targets) as JSON to FILE", HelpName = "FILE" };
        var recipe = new Option<string>("--recipe") { Description = "Recipe JSON file instead of the demo's (same as --set Recipe:File=FILE)", HelpName = "FILE" };
        var verbose = new Option<bool>("--verbose") { Description = "Also print the workers' logs (they always go to DataDir/logs)" };
        var require = new Option<bool>("--require-targets")
        {
            Description = "Exit 1 unless the challenger passed every gate and every demo target is met (for CI)",
        };
        var cmd = new Command("demo", "Run the whole post-training recipe end to end on this machine: base model, SFT, gates, GRPO, A/B window, " +
            "promotion; prints the stage and model tables") { version, summary, recipe, verbose, require };
        cmd.SetAction(async (p, ct) =>
        {
            using var shutdown = new ShutdownSignal();
            var extra = new List<(string, string, string)>();
            if (!p.GetValue(verbose)) extra.Add(("Pipeline:Logging:Console", "false", "pipeline demo"));
            if (p.GetValue(recipe) is { } recipeFile) extra.Add(("Pipeline:Recipe:File", recipeFile, "--recipe"));
            var config = CliConfig.Load(p, PipelineComponents.All, [.. extra]);
            // A recipe file is laid over the demo's recipe, so changing one setting keeps the simulated A/B window.
            var file = config.Settings.Recipe.File;
            var definition = file is { Length: > 0 }
                ? new RecipeDefinition(RecipeConfigFile.Load(file, DemoRecipe.Config), $"{file} over the demo recipe")
                : new RecipeDefinition(DemoRecipe.Config, "the demo recipe");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, shutdown.Token);
            await using var process = await PipelineProcess.StartAsync(config, ProcessRole.Server, stop.Token, definition);
            process.Host.AddPipelineWorkers(ServerCommands.DefaultServerQueues, services: process.Services);
            using var hostStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var host = process.Host.RunAsync(hostStop.Token);
            try
            {
                var runner = new DemoRunner(process.Services, process.Client, config.Settings, Console.Out);
                var (result, exit) = await runner.RunAsync(p.GetValue(version), stop.Token);
                if (result is not null && p.GetValue(summary) is { } path)
                {
                    File.WriteAllText(path, result.ToJson());
                    Console.Out.WriteLine($"  {Path.GetFullPath(path)}   this summary as JSON");
                }
                if (exit == ExitCodes.Ok && p.GetValue(require) && result is not null && !result.TargetsMet)
                {
                    Console.Error.WriteLine($"pipeline demo: --require-targets: {result.WorkflowId} ended {result.Status}" +
                        (result.Targets.Any(t => !t.Met) ? "; not met: " + string.Join(", ", result.Targets.Where(t => !t.Met).Select(t => t.Name)) : ""));
                    return ExitCodes.Failed;
                }
                return exit;
            }
            finally
            {
                await hostStop.CancelAsync();
                await host;
            }
        });
        return cmd;
    }
}
