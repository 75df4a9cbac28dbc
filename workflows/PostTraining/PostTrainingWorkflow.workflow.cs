using Pipeline.Durable;
using Pipeline.Workflows.BaseModel;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workflows.PostTraining;

/// <summary>
/// The post-training recipe for one dataset version: baseline eval → LoRA SFT → eval gate → preference collection →
/// GRPO or DPO → eval gates → registration → A/B rollout → promote or roll back. Deterministic: every effect is an
/// activity; payloads are digests. Signals: <c>approve</c>/<c>reject</c> end the A/B window by hand, <c>abort</c> stops
/// the run wherever it is, <c>AddHumanPreferences</c> adds labelled pairs before DPO. Queries: <c>CurrentStage</c>,
/// <c>Stages</c> (the metrics so far), <c>OnlineMetrics</c> (the A/B window's).
/// </summary>
[Workflow]
public sealed partial class PostTrainingWorkflow
{
    private readonly StageLog _log = new();
    private readonly List<HumanPreference> _human = [];
    private readonly Dictionary<string, ModelRef> _models = [];
    private CancellationTokenSource? _abort;
    private string? _abortReason;
    private (bool Promote, string Reason)? _manual;
    private ExperimentStats? _online;

    [WorkflowQuery]
    public string CurrentStage => _log.Current;

    [WorkflowQuery]
    public IReadOnlyList<StageRecord> Stages => _log.Stages;

    [WorkflowQuery]
    public ExperimentStats? OnlineMetrics => _online;

    /// <summary>Ends the A/B window now and promotes the challenger (a person's call, on record with its reason).</summary>
    [WorkflowSignal("approve")]
    public Task ApproveAsync(string reason)
    {
        _manual ??= (true, $"approved by hand: {reason}");
        return Task.CompletedTask;
    }

    /// <summary>Ends the A/B window now and rolls the challenger back.</summary>
    [WorkflowSignal("reject")]
    public Task RejectAsync(string reason)
    {
        _manual ??= (false, $"rejected by hand: {reason}");
        return Task.CompletedTask;
    }

    /// <summary>Stops the run where it is: a running activity is cancelled, nothing is promoted.</summary>
    [WorkflowSignal("abort")]
    public Task AbortAsync(string reason)
    {
        _abortReason ??= reason;
        _abort?.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Preferences from people, added to the collected pairs before DPO (GRPO does not use pairs).</summary>
    [WorkflowSignal]
    public Task AddHumanPreferencesAsync(IReadOnlyList<HumanPreference> preferences)
    {
        _human.AddRange(preferences);
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<PostTrainingResult> RunAsync(PostTrainingInput input)
    {
        if (input.Recipe.Problems() is { Count: > 0 } problems)
        {
            throw new ApplicationFailureException($"invalid recipe: {string.Join("; ", problems)}", "InvalidInput", nonRetryable: true);
        }
        _abort = CancellationTokenSource.CreateLinkedTokenSource(Workflow.CancellationToken);
        if (_abortReason is not null) _abort.Cancel();   // aborted before the run's first task
        try
        {
            return await RecipeAsync(input);
        }
        catch (Exception e) when (_abortReason is not null && e is FailureException)
        {
            var at = _log.Current;
            if (_registered is { } registered) await RollBackAsync(input, registered, $"aborted: {_abortReason}");
            return await FinishAsync(input, PostTrainingStatus.Aborted, $"aborted at {at}: {_abortReason}", _registered?.Challenger);
        }
    }

    private async Task<PostTrainingResult> RecipeAsync(PostTrainingInput input)
    {
        var recipe = input.Recipe;
        var token = _abort!.Token;
        var (baseModel, champion) = await ResolveAsync(input, token);
        var baseline = champion ?? baseModel with { Label = "base" };
        _models["baseline"] = baseline;

        var baselineEval = await EvaluateAsync(input, baseline, "baseline_eval", token);
        var sft = await TrainSftAsync(input, baseModel, token);
        var sftEval = await EvaluateAsync(input, sft, "sft_eval", token);
        var sftPolicy = champion is null ? recipe.Eval.SftGate : recipe.Eval.SftGateVsChampion;
        var gate1 = await GateAsync(input, "gate_sft", sftPolicy, sftEval, baselineEval, token);
        if (!gate1.Passed)
        {
            return await FinishAsync(input, PostTrainingStatus.Blocked, $"gate_sft ({sftPolicy}) blocked the SFT model: {gate1.Summary}", null);
        }

        var preferences = await CollectPreferencesAsync(input, sft, token);
        var final = await TrainPreferenceAsync(input, sft, preferences, token);
        var finalEval = await EvaluateAsync(input, final, "final_eval", token);
        var gate2 = await GateAsync(input, "gate_preference", recipe.Eval.PreferenceGate, finalEval, sftEval, token);
        var gate3 = await GateAsync(input, "gate_deploy", recipe.Eval.DeployGate, finalEval, baselineEval, token);
        if (!gate2.Passed || !gate3.Passed)
        {
            var which = !gate2.Passed ? $"gate_preference ({recipe.Eval.PreferenceGate}): {gate2.Summary}" : $"gate_deploy ({recipe.Eval.DeployGate}): {gate3.Summary}";
            return await FinishAsync(input, PostTrainingStatus.Blocked, $"{which}", null);
        }

        var registered = await RegisterAsync(input, final, baseline, finalEval, token);
        return await RolloutAsync(input, registered, token);
    }

    private async Task<(ModelRef Base, ModelRef? Champion)> ResolveAsync(PostTrainingInput input, CancellationToken token)
    {
        var started = _log.Begin("resolve");
        var resolved = await Workflow.ExecuteActivityAsync((IRegistryActivities a) => a.ResolveModelsAsync(new ResolveModelsRequest(input.ModelName, input.BaseModel)),
            RecipeActivityOptions.Control(token));
        var baseModel = resolved.Base;
        if (baseModel is null)
        {
            if (input.Recipe.Pretrain is not { } pretrain)
            {
                throw new ApplicationFailureException($"base model {input.BaseModel} is not registered and the recipe has no Pretrain section to make it", "InvalidInput", nonRetryable: true);
            }
            _log.Current = "pretrain_base";
            var made = await Workflow.ExecuteChildWorkflowAsync((BaseModelWorkflow w) => w.RunAsync(
                new BaseModelInput(input.Dataset, input.BaseModel, pretrain, input.Recipe.EvalQueue, input.Recipe.TrainingQueue)),
                new ChildWorkflowOptions { Id = $"base-model/{input.BaseModel}", CancellationToken = token });
            foreach (var stage in made.Stages) _log.Add(stage with { Name = $"base_{stage.Name}" });
            baseModel = made.Model ?? throw new ApplicationFailureException($"the base model did not pass its gate: {made.Reason}", "BaseModelBlocked", nonRetryable: true);
        }
        _models["base"] = baseModel;
        if (resolved.Champion is { } c) _models["champion"] = c;
        _log.End("resolve", started, "completed",
            resolved.Champion is { } ch ? $"base {baseModel}; champion {ch} is the baseline" : $"base {baseModel}; no champion yet: the base is the baseline");
        return (baseModel, resolved.Champion);
    }
}
