using System.Globalization;
using Pipeline.Durable;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workflows.PostTraining;

// The recipe's stages, each one activity call plus its line in the stage table.
public sealed partial class PostTrainingWorkflow
{
    private const string ArtifactKey = "artifact";

    private async Task<EvalResult> EvaluateAsync(PostTrainingInput input, ModelRef model, string stage, CancellationToken token)
    {
        var started = _log.Begin(stage);
        var eval = input.Recipe.Eval;
        var result = await Workflow.ExecuteActivityAsync((IEvalActivities a) => a.EvaluateAsync(
            new EvaluateRequest(model, input.Dataset, eval.Suites, eval.Limit, eval.BootstrapSamples, Workflow.Info.WorkflowId, stage)),
            RecipeActivityOptions.Eval(input.Recipe, token));
        _log.End(stage, started, "completed", $"{model} on {eval.Suites}: {Headline(result.Metrics)}", result.Metrics,
            new Dictionary<string, string> { ["eval_run"] = result.RunDigest });
        return result;
    }

    private async Task<ModelRef> TrainSftAsync(PostTrainingInput input, ModelRef baseModel, CancellationToken token)
    {
        var started = _log.Begin("sft");
        var result = await Workflow.ExecuteActivityAsync((ITrainingActivities a) => a.SftAsync(
            new SftRequest(baseModel, input.Dataset, input.Recipe.Sft, Workflow.Info.WorkflowId)),
            RecipeActivityOptions.Training(input.Recipe, token));
        _models["sft"] = result.Model;
        _log.End("sft", started, "completed", $"LoRA r{input.Recipe.Sft.LoraR} on {input.Dataset}: {Describe(result)}", StageLog.TrainingMetrics(result),
            new Dictionary<string, string> { ["model_package"] = result.Model.PackageDigest });
        return result.Model;
    }

    private async Task<GateResult> GateAsync(PostTrainingInput input, string gate, string policy, EvalResult candidate, EvalResult baseline, CancellationToken token)
    {
        var started = _log.Begin(gate);
        var result = await Workflow.ExecuteActivityAsync((IEvalActivities a) => a.GateAsync(
            new GateRequest(gate, policy, candidate.RunDigest, baseline.RunDigest, Workflow.Info.WorkflowId)),
            RecipeActivityOptions.Eval(input.Recipe, token));
        _log.End(gate, started, result.Passed ? "passed" : "blocked", $"{policy}: {result.Summary}",
            new Dictionary<string, double> { ["failed_rules"] = result.FailedRules.Count },
            new Dictionary<string, string> { ["decision"] = result.DecisionDigest });
        return result;
    }

    private async Task<PreferenceSetResult?> CollectPreferencesAsync(PostTrainingInput input, ModelRef sft, CancellationToken token)
    {
        var config = input.Recipe.Preference;
        if (config.Algorithm == PreferenceAlgorithm.Grpo)
        {
            _log.Skip("preferences", _human.Count == 0
                ? "GRPO scores its own rollouts with the dataset's verifier: no pairs to collect"
                : $"GRPO scores its own rollouts with the verifier; {_human.Count} human preference(s) received are kept in the history, not trained on");
            return null;
        }
        var started = _log.Begin("preferences");
        var human = _human.ToList();
        var result = await Workflow.ExecuteActivityAsync((ITrainingActivities a) => a.CollectPreferencesAsync(
            new CollectPreferencesRequest(sft, input.Dataset, config, human, Workflow.Info.WorkflowId)),
            RecipeActivityOptions.Training(input.Recipe, token));
        _log.End("preferences", started, "completed",
            $"{Count(result.Counts, "pairs")} pairs kept ({Count(result.Counts, "human")} from people) of {Count(result.Counts, "prompts")} prompts",
            result.Counts, new Dictionary<string, string> { ["preferences"] = result.Digest });
        return result;
    }

    private async Task<ModelRef> TrainPreferenceAsync(PostTrainingInput input, ModelRef sft, PreferenceSetResult? preferences, CancellationToken token)
    {
        var config = input.Recipe.Preference;
        var stage = config.Algorithm == PreferenceAlgorithm.Grpo ? "grpo" : "dpo";
        var started = _log.Begin(stage);
        var request = new PreferenceTrainRequest(sft, input.Dataset, config, preferences?.Digest, Workflow.Info.WorkflowId);
        var result = await Workflow.ExecuteActivityAsync((ITrainingActivities a) => a.PreferenceTrainAsync(request),
            RecipeActivityOptions.Training(input.Recipe, token));
        _models["final"] = result.Model;
        var how = config.LoraR > 0 ? $"LoRA r{config.LoraR}" : "full weights";
        _log.End(stage, started, "completed", $"{stage.ToUpperInvariant()} ({how}) from the SFT model: {Describe(result)}", StageLog.TrainingMetrics(result),
            new Dictionary<string, string> { ["model_package"] = result.Model.PackageDigest });
        return result.Model;
    }

    private async Task<RegisterResult> RegisterAsync(PostTrainingInput input, ModelRef final, ModelRef baseline, EvalResult finalEval, CancellationToken token)
    {
        var started = _log.Begin("register");
        var lineage = new Dictionary<string, string>();
        foreach (var stage in _log.Stages)
        {
            foreach (var (key, digest) in stage.Artifacts) lineage[$"{stage.Name}.{key}"] = digest;
        }
        var result = await Workflow.ExecuteActivityAsync((IRegistryActivities a) => a.RegisterAsync(
            new RegisterRequest(input.ModelName, final, baseline, input.Dataset, Workflow.Info.WorkflowId, finalEval.Metrics, lineage)),
            RecipeActivityOptions.Control(token));
        _models["challenger"] = result.Challenger;
        _models["champion"] = result.Champion;
        _log.End("register", started, "completed", $"{result.Challenger} is the challenger of champion {result.Champion}");
        return result;
    }

    private async Task<PostTrainingResult> FinishAsync(PostTrainingInput input, PostTrainingStatus status, string reason, ModelRef? challenger)
    {
        _log.Finish(status.ToString().ToLowerInvariant());
        await Workflow.ExecuteActivityAsync((IRegistryActivities a) => a.PublishCompletionAsync(
            new CompletionNotice(Workflow.Info.WorkflowId, input.Dataset, status, challenger, reason)),
            RecipeActivityOptions.Control(CancellationToken.None));
        return new PostTrainingResult(status, status == PostTrainingStatus.Promoted, reason, _log.Stages, _models, challenger);
    }

    private static string Describe(TrainResult r) =>
        $"{r.Steps} steps{(r.ResumedFromStep > 0 ? $" (resumed at step {r.ResumedFromStep})" : "")}" +
        (r.Metrics.TryGetValue("loss", out var loss) ? $", loss {loss.ToString("0.000", CultureInfo.InvariantCulture)}" : "") +
        (r.Metrics.TryGetValue("reward", out var reward) ? $", reward {reward.ToString("0.000", CultureInfo.InvariantCulture)}" : "");

    private static string Headline(IReadOnlyDictionary<string, double> m)
    {
        var keys = new[] { "in_domain/accuracy", "ood/accuracy", "refusal/refusal_rate", "calibration/abstention_rate", "raw_format/accuracy" };
        var parts = keys.Where(m.ContainsKey).Select(k => $"{k} {m[k].ToString("0.000", CultureInfo.InvariantCulture)}").ToList();
        return parts.Count > 0 ? string.Join(", ", parts) : $"{m.Count} metrics";
    }

    private static string Count(IReadOnlyDictionary<string, double> counts, string key) =>
        counts.TryGetValue(key, out var v) ? v.ToString("0", CultureInfo.InvariantCulture) : "?";
}
