using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Infra.Configuration;
using Pipeline.Workers.Recipe;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline run --dataset NAME@VERSION`: starts the recipe for a published dataset version by hand, as the
/// event would (same workflow id, so it never starts a second run for a version); a server's workers run it.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The published dataset version, NAME@VERSION", HelpName = "NAME@VERSION", Required = true };
        var recipe = new Option<string>("--recipe") { Description = "Recipe JSON file (default: Recipe:File, else the shipped defaults)", HelpName = "FILE" };
        var follow = new Option<bool>("--follow") { Description = "Show its progress until it ends, then the stage and model tables" };
        var cmd = new Command("run", "Start the post-training recipe for a published dataset version (workflow post-train/NAME@VERSION)") { dataset, recipe, follow };
        cmd.SetAction(async (p, ct) =>
        {
            var text = p.GetValue(dataset)!;
            var at = text.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || at == text.Length - 1) throw new UsageException($"--dataset {text}: expected NAME@VERSION, e.g. arith-demo@v1");
            var extra = p.GetValue(recipe) is { } file ? new[] { ("Pipeline:Recipe:File", file, "--recipe") } : [];
            var config = CliConfig.Load(p, PipelineComponents.Store | PipelineComponents.Artifacts | PipelineComponents.Recipe, extra);
            var definition = RecipeConfigFile.Load(config.Settings.Recipe.File);
            await using var session = await CliSession.OpenAsync(CliOptions.ParseStore(config), create: true, ct);
            using var artifacts = ArtifactStores.Open(config.Settings);
            var launcher = new RecipeLauncher(session.Client, artifacts.Store, config.Settings.Recipe, NullLogger<RecipeLauncher>.Instance);
            var start = await launcher.StartAsync(text[..at], text[(at + 1)..], definition, ct);
            Console.Out.WriteLine(start switch
            {
                { Created: true } => $"started {start.WorkflowId} (run {start.RunId}); `pipeline server` (or a worker per queue) runs it",
                { AlreadyRan: true } => $"{start.WorkflowId} already ran: nothing new started (`pipeline workflow show {start.WorkflowId}`)",
                _ => $"{start.WorkflowId} is already running (run {start.RunId}): nothing new started",
            });
            if (!p.GetValue(follow)) return ExitCodes.Ok;
            await new RecipeFollower(session.Client, Console.Out).FollowAsync(start.WorkflowId, [$"base-model/{config.Settings.Recipe.BaseModel}"], ct);
            var result = await session.Client.GetWorkflowHandle<Pipeline.Workflows.Contracts.PostTrainingResult>(start.WorkflowId).GetResultAsync(ct);
            RecipeReport.Write(Console.Out, RecipeSummary.From(start.WorkflowId, result!));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
