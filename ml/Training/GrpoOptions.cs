using Pipeline.ML.Losses;

namespace Pipeline.ML.Training;

/// <summary>
/// GRPO hyperparameters, named after TRL's GRPOConfig; the optimiser, schedule, clipping, seed, logging and saving
/// come from <see cref="Training"/>. Batch sizes count completions, as TRL's: one step samples
/// (batch_size · gradient_accumulation_steps) / num_generations prompts, num_generations completions each, and trains
/// on them in gradient_accumulation_steps micro-batches of batch_size completions.
/// </summary>
public sealed record GrpoOptions
{
    /// <summary>Optimiser, schedule, clipping, seed, logging, eval and save settings. Required.</summary>
    public required TrainingOptions Training { get; init; }

    /// <summary>Completions sampled per prompt, G (num_generations). Default 8.</summary>
    public int NumGenerations { get; init; } = 8;

    /// <summary>Most tokens per completion (max_completion_length); a completion cut here counts as truncated. Default 256.</summary>
    public int MaxCompletionLength { get; init; } = 256;

    /// <summary>Sampling temperature of the rollouts (temperature). Default 1.0.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling mass of the rollouts (top_p); 1 keeps all tokens. Default 1.0.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Top-k filter of the rollouts (top_k); 0 keeps all tokens. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Token ids that end a completion (the tokenizer's end-of-turn / eos); kept as the completion's last, trained, token. Default none.</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>
    /// KL coefficient β (beta). Default 0.0, as current TRL: no reference log-probs are computed, saving a forward pass
    /// (and, when training all weights, a frozen copy of them). DeepSeek-R1 used 0.001; DEMO-DOMAIN.md 0.02.
    /// </summary>
    public double Beta { get; init; }

    /// <summary>Lower clipping bound ε of the ratio, clip(ρ, 1 − ε, 1 + ε_high) (epsilon). Default 0.2.</summary>
    public double Epsilon { get; init; } = 0.2;

    /// <summary>Upper clipping bound ε_high (epsilon_high); null uses <see cref="Epsilon"/>. DAPO's clip-higher uses 0.28. Default null.</summary>
    public double? EpsilonHigh { get; init; }

    /// <summary>
    /// Updates per generation batch, μ (num_iterations). With 1 the ratio is exactly 1 at the single update; with more,
    /// the rollout's log-probs are kept as π_old and every μ-th step samples afresh. Default 1.
    /// </summary>
    public int NumIterations { get; init; } = 1;

    /// <summary>How token losses are aggregated (loss_type). Default <see cref="GrpoLossType.Grpo"/> (TRL's default is "dapo", our Bnpo).</summary>
    public GrpoLossType LossType { get; init; } = GrpoLossType.Grpo;

    /// <summary>What centred rewards are divided by (scale_rewards). Default <see cref="GrpoRewardScaling.Group"/>.</summary>
    public GrpoRewardScaling ScaleRewards { get; init; } = GrpoRewardScaling.Group;

    /// <summary>One weight per reward function; the reward is their weighted sum (reward_weights). Null weighs each 1. Default null.</summary>
    public IReadOnlyList<double>? RewardWeights { get; init; }

    /// <summary>Leave truncated completions (no stop token within max_completion_length) out of the loss (mask_truncated_completions). Default false.</summary>
    public bool MaskTruncatedCompletions { get; init; }

    /// <summary>Temperature of the eval hook's one completion per held-out prompt; 0 is greedy. Default 0.</summary>
    public double EvalTemperature { get; init; }

    public double EffectiveEpsilonHigh => EpsilonHigh ?? Epsilon;

    /// <summary>Completions per step: batch_size · gradient_accumulation_steps (TRL's generation batch).</summary>
    public int CompletionsPerStep => Training.BatchSize * Training.GradientAccumulationSteps;

    public int PromptsPerStep => CompletionsPerStep / NumGenerations;

    public void Validate(int rewardFunctions)
    {
        Training.Validate();
        if (NumGenerations < 2)
        {
            throw new ArgumentException($"num_generations must be >= 2 (a group of one has no baseline), got {NumGenerations}");
        }
        if (CompletionsPerStep % NumGenerations != 0)
        {
            throw new ArgumentException(
                $"batch_size ({Training.BatchSize}) × gradient_accumulation_steps ({Training.GradientAccumulationSteps}) = {CompletionsPerStep} " +
                $"completions per step must be a multiple of num_generations ({NumGenerations})");
        }
        if (MaxCompletionLength < 1)
        {
            throw new ArgumentException($"max_completion_length must be >= 1, got {MaxCompletionLength}");
        }
        if (!(Temperature > 0) || double.IsInfinity(Temperature) || !(EvalTemperature >= 0))
        {
            throw new ArgumentException($"temperature must be > 0 (GRPO samples its groups), got {Temperature}; eval temperature >= 0, got {EvalTemperature}");
        }
        if (!(Beta >= 0) || double.IsInfinity(Beta))
        {
            throw new ArgumentException($"beta must be a finite number >= 0, got {Beta}");
        }
        if (!(Epsilon is > 0 and < 1) || !(EffectiveEpsilonHigh > 0))
        {
            throw new ArgumentException($"epsilon must be in (0, 1) and epsilon_high > 0, got {Epsilon} and {EffectiveEpsilonHigh}");
        }
        if (NumIterations < 1)
        {
            throw new ArgumentException($"num_iterations must be >= 1, got {NumIterations}");
        }
        if (NumIterations > 1 && (Training.MaxSteps % NumIterations != 0 || Training.SaveSteps % NumIterations != 0))
        {
            // A checkpoint between the μ updates of one rollout would have to store the rollout; at a rollout
            // boundary the next step samples afresh from the saved RNG, so resume stays exact.
            throw new ArgumentException($"with num_iterations {NumIterations}, max_steps and save_steps must be multiples of it");
        }
        if (rewardFunctions < 1)
        {
            throw new ArgumentException("GRPO needs at least one reward function");
        }
        if (RewardWeights is { } w && (w.Count != rewardFunctions || w.Any(x => !double.IsFinite(x))))
        {
            throw new ArgumentException($"reward_weights needs one finite weight per reward function ({rewardFunctions}), got {w.Count}");
        }
        new Generation.GenerationOptions { Temperature = Temperature, TopK = TopK, TopP = TopP, MaxNewTokens = MaxCompletionLength }.Validate();
    }
}
