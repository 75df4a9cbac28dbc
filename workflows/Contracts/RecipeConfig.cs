namespace Pipeline.Workflows.Contracts;

/// <summary>Everything the recipe can be told: the stages' hyperparameters, the gates, the rollout, and the task queues
/// the heavy steps go to (<c>gpu</c> when a GPU worker serves it, else <c>cpu</c>; evaluation on <c>eval</c>).</summary>
public sealed record RecipeConfig
{
    public SftConfig Sft { get; init; } = new();

    public PreferenceConfig Preference { get; init; } = new();

    public EvalConfig Eval { get; init; } = new();

    public RolloutConfig Rollout { get; init; } = new();

    /// <summary>When set and the base reference is not registered, a child workflow pretrains, gates and registers it
    /// first; when null, a missing base fails the run with a clear message.</summary>
    public PretrainConfig? Pretrain { get; init; }

    /// <summary>A training attempt that has not heartbeated for this long is presumed lost (a killed worker) and
    /// retried from its last checkpoint. Default 2 min.</summary>
    public TimeSpan TrainingHeartbeatTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Queue of the training activities (SFT, preference collection, DPO/GRPO). Default cpu.</summary>
    public string TrainingQueue { get; init; } = "cpu";

    /// <summary>Queue of the evaluation and gate activities. Default eval.</summary>
    public string EvalQueue { get; init; } = "eval";

    /// <summary>Every problem, each naming its field; empty when the config is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = Sft.Problems().Concat(Preference.Problems()).Concat(Eval.Problems()).Concat(Rollout.Problems())
            .Concat(Pretrain?.Problems() ?? []).ToList();
        if (TrainingHeartbeatTimeout < TimeSpan.FromSeconds(1)) problems.Add("TrainingHeartbeatTimeout must be ≥ 1 s");
        if (string.IsNullOrWhiteSpace(TrainingQueue)) problems.Add("TrainingQueue must name a task queue");
        if (string.IsNullOrWhiteSpace(EvalQueue)) problems.Add("EvalQueue must name a task queue");
        return problems;
    }
}
