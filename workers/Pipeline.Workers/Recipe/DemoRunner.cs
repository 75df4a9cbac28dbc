using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Durable.Storage;
using Pipeline.Eval.Datasets;
using Pipeline.Eval.Domain;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Datasets;
using Pipeline.Workers.Cli;
using Pipeline.Workers.Hosting;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workers.Recipe;

/// <summary>
/// What <c>pipeline demo</c> does inside a running server process: choose the demo dataset's next version (or the one
/// whose run was interrupted), generate and publish it as an event, let the consumer start the recipe (and the recipe
/// its base-model child), follow it, then print and return the summary.
/// </summary>
public sealed class DemoRunner(IServiceProvider services, WorkflowClient client, PipelineSettings settings, TextWriter output)
{
    private const string Dataset = DemoDatasetGenerator.DatasetName;

    public async Task<(RecipeSummary? Summary, int ExitCode)> RunAsync(string? version, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var (chosen, run) = await ChooseVersionAsync(version, ct);
        var id = PostTrainingInput.WorkflowIdFor(Dataset, chosen);
        if (run is { IsOpen: false })
        {
            output.WriteLine($"{id} already ran ({run.Status}, {run.ClosedAt:u}); showing its result. Every demo version has run: start over with a new data folder (--set DataDir=.pipeline-2).");
            return await ReportAsync(id, ct);
        }
        if (run is null)
        {
            await PublishAsync(chosen, ct);
            await WaitForRunAsync(chosen, ct);
        }
        else
        {
            output.WriteLine($"{id} was interrupted; its workers resume it from the last completed step (and training from its last checkpoint).");
        }
        output.WriteLine($"following {id} (Ctrl+C stops this process; the run resumes at the next `pipeline demo` or `pipeline server`)");
        if (services.GetService<UiService>() is { } ui) output.WriteLine($"audit UI while it runs: {ui.Url}#/run/{id}?tab=recipe");
        var closed = await new RecipeFollower(client, output).FollowAsync(id, [$"base-model/{settings.Recipe.BaseModel}"], ct);
        output.WriteLine($"[{Durations.Format(clock.Elapsed)}] {id} {closed.Status}");
        return await ReportAsync(id, ct);
    }

    private async Task<(string Version, RunInfo? Run)> ChooseVersionAsync(string? version, CancellationToken ct)
    {
        if (version is not null)
        {
            if (!DemoDatasetVersions.Exists(version)) throw new UsageException($"--version {version}: the demo dataset has {string.Join(", ", DemoDatasetVersions.Names)}");
            return (version, await FindRunAsync(version, ct));
        }
        RunInfo? last = null;
        foreach (var v in DemoDatasetVersions.Names)
        {
            last = await FindRunAsync(v, ct);
            if (last is null or { IsOpen: true }) return (v, last);
        }
        return (DemoDatasetVersions.Names.Last(), last);
    }

    private Task<RunInfo?> FindRunAsync(string version, CancellationToken ct) =>
        client.Store.GetRunAsync(PostTrainingInput.WorkflowIdFor(Dataset, version), null, ct);   // the latest run of the id

    private async Task PublishAsync(string version, CancellationToken ct)
    {
        var dir = Path.GetFullPath(Path.Combine(settings.DataDir, "datasets", Dataset, version));
        if (!File.Exists(Path.Combine(dir, DatasetManifest.FileName)) || DatasetValidator.Validate(dir).Any())
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);   // a half-written folder from an interrupted demo
            var started = Stopwatch.StartNew();
            DemoDatasetGenerator.Generate(new DemoDatasetOptions { Version = version }).WriteTo(dir);
            output.WriteLine($"generated {Dataset}@{version} in {dir} ({started.Elapsed.TotalSeconds:F1} s)");
        }
        var manifest = DatasetManifest.Load(Path.Combine(dir, DatasetManifest.FileName));
        var publisher = new DatasetPublisher(services.GetRequiredService<IArtifactStore>(), services.GetRequiredService<IEventOutbox>());
        var result = await publisher.PublishAsync(DatasetPublishCommand.Publication(dir, manifest), ct);
        output.WriteLine($"published {Dataset}@{version} ({result.Dataset.FileCount} files, {result.Dataset.FilesDigest[..19]}…): DatasetVersionPublished is on its way to the recipe's consumer");
    }

    /// <summary>The consumer starts the run from the event; if it has not within the bound (the event stayed in the
    /// outbox, or Recipe:StartOnPublish is off) the demo starts it itself: the same id, so never twice.</summary>
    private async Task WaitForRunAsync(string version, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(settings.Recipe.StartOnPublish ? 30 : 0))
        {
            if (await FindRunAsync(version, ct) is not null) return;
            await Task.Delay(200, ct);
        }
        var recipe = services.GetRequiredService<RecipeDefinition>();
        var start = await services.GetRequiredService<RecipeLauncher>().StartAsync(Dataset, version, recipe.Config, ct);
        output.WriteLine($"{start.WorkflowId}: no run from the event {(settings.Recipe.StartOnPublish ? "within 30 s" : "(Recipe:StartOnPublish is false)")}; started it directly");
    }

    private async Task<(RecipeSummary?, int)> ReportAsync(string id, CancellationToken ct)
    {
        var handle = client.GetWorkflowHandle<PostTrainingResult>(id);
        PostTrainingResult? result;
        try
        {
            result = await handle.GetResultAsync(ct);
        }
        catch (WorkflowFailedException e)
        {
            output.WriteLine($"{id} failed: {e.Message}");
            output.WriteLine($"  ./pipeline workflow show {id}      what failed, and the last attempt's error");
            return (null, ExitCodes.Failed);
        }
        var summary = RecipeSummary.From(id, result!);
        RecipeReport.Write(output, summary);
        WhereNext(id);
        return (summary, summary.Status == "aborted" ? ExitCodes.Failed : ExitCodes.Ok);
    }

    private void WhereNext(string id)
    {
        output.WriteLine();
        output.WriteLine("where to look next:");
        output.WriteLine($"  ./pipeline ui                             the audit UI over this store: http://127.0.0.1:{settings.Ui.Port}/#/run/{id}?tab=recipe");
        output.WriteLine($"  ./pipeline workflow show {id}             input, result, the stage table");
        output.WriteLine($"  ./pipeline workflow history {id}          every event; --json is the audit export");
        output.WriteLine($"  ./pipeline workflow query {id} --name Stages   the stages with their metrics and artifact digests");
        output.WriteLine($"  {Path.GetFullPath(settings.Artifacts.Root)}   eval runs (report.md/html) and gate decisions, by the digests above");
        output.WriteLine($"  {Path.GetFullPath(Path.Combine(settings.DataDir, "logs"))}   structured logs (CLEF; Seq reads them)");
        output.WriteLine("  ./pipeline server                         serves the champion: POST http://127.0.0.1:8088/v1/chat/completions {\"model\":\"" +
            settings.Recipe.ModelName + "@champion\", …}");
        output.WriteLine("  ./pipeline demo                           again: publishes the next dataset version; its baseline is the champion");
    }
}
