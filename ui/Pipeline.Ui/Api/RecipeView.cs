using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Durable;
using Pipeline.Durable.Storage;
using Pipeline.Infra.Tracking;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Ui.Api;

/// <summary>
/// What the recipe adds to a run's page, beyond the engine's history: the stage table, each gate's decision record,
/// each eval run's suites with intervals, the preference set's QC counts, the A/B window, and the training curves
/// from the tracking store. Built from the run's <c>Stages</c> query (replayed here, so an open run shows the stages so
/// far) or its result, and the artifacts and tracking runs those stages name.
/// </summary>
internal sealed class RecipeView(UiSources sources, UiOptions options)
{
    /// <summary>Curves drawn per training stage, in TRL's names; other logged keys are listed but not drawn.</summary>
    public static readonly string[] CurveKeys =
        ["loss", "eval_loss", "mean_token_accuracy", "reward", "reward_std", "kl", "rewards/margins", "rewards/accuracies", "grad_norm", "learning_rate"];

    public async Task<object> BuildAsync(RunInfo run, CancellationToken ct)
    {
        // One replay answers every query the view shows; the stage table comes from it (an open or failed run has no
        // result yet), else from the result.
        var answers = await QueryAsync(run, run.IsOpen ? ["Stages", "CurrentStage", "OnlineMetrics"] : ["Stages", "OnlineMetrics"], ct);
        var result = run.Result is { } json && run.WorkflowType == "PostTrainingWorkflow" ? Deserialize<PostTrainingResult>(json) : null;
        var stages = Answer<List<StageRecord>>(answers, "Stages") ?? result?.Stages ?? [];
        var gates = new List<object>();
        var evals = new List<object>();
        foreach (var stage in stages)
        {
            if (stage.Artifacts.TryGetValue("decision", out var decision))
            {
                gates.Add(new { Stage = stage.Name, stage.Status, stage.Detail, Digest = decision, Decision = await ArtifactFiles.ReadJsonAsync(sources.Artifacts, decision, "decision.json", ct) });
            }
            if (stage.Artifacts.TryGetValue("eval_run", out var evalRun))
            {
                evals.Add(new { Stage = stage.Name, Digest = evalRun, Eval = await ArtifactFiles.ReadJsonAsync(sources.Artifacts, evalRun, "eval.json", ct) });
            }
        }
        var preferences = stages.FirstOrDefault(s => s.Name == "preferences" && s.Status != "skipped");
        var window = stages.FirstOrDefault(s => s.Name == "ab_rollout");
        return new
        {
            Status = result?.Status.ToString(),
            result?.Promoted,
            result?.Reason,
            CurrentStage = Answer<string>(answers, "CurrentStage"),
            Stages = stages,
            Models = result?.Models,
            Gates = gates,
            Evals = evals,
            Preferences = preferences is null ? null : new { preferences.Metrics, preferences.Artifacts, preferences.Detail },
            Ab = window is null && !run.IsOpen ? null : new { Stage = window, Online = Answer<ExperimentStats>(answers, "OnlineMetrics") },
            Curves = await CurvesAsync(run, ct),
        };
    }

    /// <summary>The answers of those of <paramref name="names"/> the run's workflow type has, from one replay; empty
    /// when the type is not registered here or its history cannot be replayed by this code.</summary>
    private async Task<IReadOnlyDictionary<string, string>> QueryAsync(RunInfo run, IReadOnlyList<string> names, CancellationToken ct)
    {
        var definition = sources.Client.FindDefinition(run.WorkflowType);
        var known = names.Where(n => definition?.Queries.ContainsKey(n) == true).ToList();
        if (known.Count == 0) return new Dictionary<string, string>();
        try
        {
            return await sources.Client.GetWorkflowHandle(run.WorkflowId, run.RunId).QueryManyJsonAsync(known, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException)
        {
            return new Dictionary<string, string>();   // a history this code cannot replay: the page falls back to the result
        }
    }

    private static T? Answer<T>(IReadOnlyDictionary<string, string> answers, string name) =>
        answers.TryGetValue(name, out var json) ? Deserialize<T>(json) : default;

    /// <summary>Each tracking run of this workflow run, in start order, with its drawn metrics' histories: those tagged
    /// with its run id, or — for runs logged before that tag existed — every run tagged with the workflow id.</summary>
    private async Task<List<object>> CurvesAsync(RunInfo run, CancellationToken ct)
    {
        var experimentIds = new List<string>();
        foreach (var name in options.Experiments)
        {
            if (await sources.Tracking.GetExperimentByNameAsync(name, ct) is { } e) experimentIds.Add(e.Id);
        }
        var curves = new List<object>();
        if (experimentIds.Count == 0) return curves;
        var ofId = await sources.Tracking.SearchRunsAsync(experimentIds, "pipeline.workflow_id", run.WorkflowId, ct);
        var ofRun = ofId.Where(t => t.Tags.GetValueOrDefault("pipeline.run_id") == run.RunId).ToList();
        foreach (var tracked in ofRun.Count > 0 ? ofRun : ofId.Where(t => !t.Tags.ContainsKey("pipeline.run_id")))
        {
            var series = new Dictionary<string, double[][]>();
            foreach (var key in CurveKeys.Where(tracked.Metrics.ContainsKey))
            {
                var points = await sources.Tracking.GetMetricHistoryAsync(tracked.Id, key, ct);
                if (points.Count > 1) series[key] = points.Where(p => double.IsFinite(p.Value)).Select(p => new[] { p.Step, p.Value }).ToArray();
            }
            curves.Add(new
            {
                Stage = tracked.Tags.GetValueOrDefault("pipeline.stage"),
                RunId = tracked.Id,
                Latest = tracked.Metrics.Where(kv => double.IsFinite(kv.Value)).ToDictionary(),
                Series = series,
            });
        }
        return curves;
    }

    private static T? Deserialize<T>(string json)
    {
        try
        {
            return DataConverter.Deserialize<T>(json);   // the engine's own converter: payloads were written with it
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
