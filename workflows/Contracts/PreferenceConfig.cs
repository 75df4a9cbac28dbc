namespace Pipeline.Workflows.Contracts;

/// <summary>The preference stage after SFT: GRPO (default; the stronger one in the feasibility run) or DPO, trained as a
/// fresh LoRA adapter on the merged SFT model (the merged SFT model is also the reference), or full weights with
/// <see cref="LoraR"/> 0.</summary>
public sealed record PreferenceConfig
{
    /// <summary>GRPO or DPO. Default GRPO.</summary>
    public PreferenceAlgorithm Algorithm { get; init; } = PreferenceAlgorithm.Grpo;

    /// <summary>LoRA rank of the new adapter; 0 trains every weight. Default 16.</summary>
    public int LoraR { get; init; } = 16;

    /// <summary>LoRA alpha. Default 32.</summary>
    public double LoraAlpha { get; init; } = 32;

    /// <summary>GRPO: optimizer updates. Default 48 (GRPO-LoRA reached its full-weight gain in 60% of the steps). DPO
    /// reads <see cref="DpoMaxSteps"/>.</summary>
    public int MaxSteps { get; init; } = 48;

    /// <summary>GRPO: learning rate, constant. Default 3e-4 (LoRA; 5e-4 made the GRPO model over-refuse; full weights
    /// want ~3e-5). DPO reads <see cref="DpoLearningRate"/>.</summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>KL coefficient to the reference (GRPO) or DPO's beta. Default 0.1 (it let GRPO take lr 3e-4).</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>GRPO: prompts per update. DPO: pairs per update. Default 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>GRPO: completions per prompt (G). DPO: samples per prompt when collecting pairs. Default 8.</summary>
    public int NumGenerations { get; init; } = 8;

    /// <summary>Sampling temperature for rollouts and collection. Default 0.7 (at 1.0 the char-level SFT model rarely ends).</summary>
    public double Temperature { get; init; } = 0.7;

    /// <summary>Top-k for rollouts and collection (0: off). Default 20.</summary>
    public int TopK { get; init; } = 20;

    /// <summary>Most tokens per completion. Default 36 (the demo's longest answer is ~30 characters).</summary>
    public int MaxCompletionLength { get; init; } = 36;

    /// <summary>GRPO: how many times each training prompt enters the mix, by its <see cref="PromptMixColumn"/> value; a
    /// value not listed counts once, 0 leaves those prompts out. Default answer 1, refuse 2, abstain 8: with the plain
    /// prompts the rewards of the many answerable ones pull refusals and "I don't know" down (abstention 0.69 → 0.16),
    /// with this mix they hold (tuning/RESULTS.md).</summary>
    public IReadOnlyDictionary<string, int> PromptMix { get; init; } =
        new Dictionary<string, int>(StringComparer.Ordinal) { ["answer"] = 1, ["refuse"] = 2, ["abstain"] = 8 };

    /// <summary>The prompt column <see cref="PromptMix"/> reads. Default behavior (the demo dataset's).</summary>
    public string PromptMixColumn { get; init; } = "behavior";

    /// <summary>DPO: peak learning rate, cosine after <see cref="DpoWarmupSteps"/> warmup updates. Default 5e-4 (the
    /// measured DPO-LoRA recipe f1; 2e-4 for 40 steps gained half as much in-domain, tuning/RESULTS.md Q2).</summary>
    public double DpoLearningRate { get; init; } = 5e-4;

    /// <summary>DPO: optimizer updates of <see cref="BatchSize"/> pairs. Default 60 (recipe f1).</summary>
    public int DpoMaxSteps { get; init; } = 60;

    /// <summary>DPO: linear warmup updates before the cosine decay; must be fewer than <see cref="DpoMaxSteps"/>.
    /// Default 5 (recipe f1).</summary>
    public int DpoWarmupSteps { get; init; } = 5;

    /// <summary>DPO: weight of the NLL term on the chosen answer (RPO; TRL's rpo_alpha); 0 turns it off. Default 1.</summary>
    public double RpoAlpha { get; init; } = 1.0;

    /// <summary>DPO: how many training prompts to sample pairs from (0: all). Default 800.</summary>
    public int CollectionPrompts { get; init; } = 800;

    /// <summary>Checkpoint (and heartbeat its artifact) every N updates. Default 10.</summary>
    public int SaveSteps { get; init; } = 10;

    /// <summary>Seed. Default 42.</summary>
    public ulong Seed { get; init; } = 42;

    public IEnumerable<string> Problems()
    {
        if (LoraR < 0) yield return "Preference.LoraR must be ≥ 0 (0: full weights)";
        if (MaxSteps < 1) yield return "Preference.MaxSteps must be ≥ 1";
        if (LearningRate is <= 0 or > 1) yield return "Preference.LearningRate must be in (0, 1]";
        if (Beta < 0) yield return "Preference.Beta must be ≥ 0";
        if (BatchSize < 1) yield return "Preference.BatchSize must be ≥ 1";
        if (NumGenerations < 2) yield return "Preference.NumGenerations must be ≥ 2 (a group, or a pair)";
        if (Temperature <= 0) yield return "Preference.Temperature must be > 0 (sampling)";
        if (MaxCompletionLength < 1) yield return "Preference.MaxCompletionLength must be ≥ 1";
        if (SaveSteps < 1) yield return "Preference.SaveSteps must be ≥ 1";
        if (CollectionPrompts < 0) yield return "Preference.CollectionPrompts must be ≥ 0";
        if (DpoLearningRate is <= 0 or > 1) yield return $"Preference.DpoLearningRate must be in (0, 1], got {DpoLearningRate}";
        if (DpoMaxSteps < 1) yield return $"Preference.DpoMaxSteps must be ≥ 1, got {DpoMaxSteps}";
        if (DpoWarmupSteps < 0 || DpoWarmupSteps >= DpoMaxSteps)
            yield return $"Preference.DpoWarmupSteps must be in [0, DpoMaxSteps = {DpoMaxSteps}), got {DpoWarmupSteps}";
        if (RpoAlpha < 0) yield return $"Preference.RpoAlpha must be ≥ 0 (0: no NLL term), got {RpoAlpha}";
        if (Algorithm == PreferenceAlgorithm.Dpo && Beta <= 0) yield return $"Preference.Beta must be > 0 for DPO (its β), got {Beta}";
        foreach (var (value, copies) in PromptMix ?? new Dictionary<string, int>())
        {
            if (copies is < 0 or > 100) yield return $"Preference.PromptMix[{value}] must be in [0, 100], got {copies}";
        }
        if (PromptMix is { Count: > 0 } && string.IsNullOrWhiteSpace(PromptMixColumn)) yield return "Preference.PromptMixColumn must name a prompt column";
    }
}
