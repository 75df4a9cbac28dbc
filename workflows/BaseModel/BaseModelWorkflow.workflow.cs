using Pipeline.Durable;
using Pipeline.Workflows.Contracts;
using Pipeline.Workflows.PostTraining;

namespace Pipeline.Workflows.BaseModel;

/// <summary>
/// Makes the base model the recipe fine-tunes: pretrain on the dataset version's raw-text corpus (heartbeating each
/// checkpoint, so a lost worker resumes where it was), evaluate the raw-format suites, decide the base gate, and only
/// then register it under the reference's name with its alias. A blocked base is not registered.
/// </summary>
[Workflow]
public sealed class BaseModelWorkflow
{
    private readonly StageLog _log = new();

    [WorkflowQuery]
    public string CurrentStage => _log.Current;

    [WorkflowQuery]
    public IReadOnlyList<StageRecord> Stages => _log.Stages;

    [WorkflowRun]
    public async Task<BaseModelResult> RunAsync(BaseModelInput input)
    {
        if (input.Config.Problems().ToList() is { Count: > 0 } problems)
        {
            throw new ApplicationFailureException($"invalid pretraining config: {string.Join("; ", problems)}", "InvalidInput", nonRetryable: true);
        }
        var recipe = new RecipeConfig { TrainingQueue = input.TrainingQueue, EvalQueue = input.EvalQueue };
        var token = Workflow.CancellationToken;
        var id = Workflow.Info.WorkflowId;

        var started = _log.Begin("pretrain");
        var trained = await Workflow.ExecuteActivityAsync((ITrainingActivities a) => a.PretrainAsync(new PretrainRequest(input.Dataset, input.Config, id)),
            RecipeActivityOptions.Training(recipe, token) with { StartToCloseTimeout = TimeSpan.FromHours(24) });
        _log.End("pretrain", started, "completed",
            $"{trained.Steps} steps on {input.Dataset}'s corpus{(trained.ResumedFromStep > 0 ? $" (resumed at step {trained.ResumedFromStep})" : "")}",
            StageLog.TrainingMetrics(trained),
            new Dictionary<string, string> { ["model_package"] = trained.Model.PackageDigest });

        started = _log.Begin("eval");
        var eval = await Workflow.ExecuteActivityAsync((IEvalActivities a) => a.EvaluateAsync(
            new EvaluateRequest(trained.Model, input.Dataset, input.Config.Suites, null, 1000, id, "base_eval")), RecipeActivityOptions.Eval(recipe, token));
        _log.End("eval", started, "completed", $"{input.Config.Suites}: {eval.Metrics.Count} metrics", eval.Metrics,
            new Dictionary<string, string> { ["eval_run"] = eval.RunDigest });

        started = _log.Begin("gate");
        var gate = await Workflow.ExecuteActivityAsync((IEvalActivities a) => a.GateAsync(
            new GateRequest("gate_base", input.Config.Gate, eval.RunDigest, null, id)), RecipeActivityOptions.Eval(recipe, token));
        _log.End("gate", started, gate.Passed ? "passed" : "blocked", $"{input.Config.Gate}: {gate.Summary}", null,
            new Dictionary<string, string> { ["decision"] = gate.DecisionDigest });
        if (!gate.Passed)
        {
            _log.Finish("blocked");
            return new BaseModelResult(false, null, $"{input.Config.Gate}: {gate.Summary}", _log.Stages);
        }

        started = _log.Begin("register");
        var registered = await Workflow.ExecuteActivityAsync((IRegistryActivities a) => a.RegisterBaseAsync(
            new RegisterBaseRequest(input.BaseModel, trained.Model, input.Dataset, id, eval.Metrics)), RecipeActivityOptions.Control(token));
        _log.End("register", started, "completed", $"registered as {registered}");
        _log.Finish("completed");
        return new BaseModelResult(true, registered, $"passed {input.Config.Gate}", _log.Stages);
    }
}
