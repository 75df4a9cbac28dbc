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

    /// <summary>Optimizer updates. Default 60.</summary>
    public int MaxSteps { get; init; } = 60;

    /// <summary>Peak learning rate. Default 2e-4 (LoRA; full weights want ~3e-5).</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>KL coefficient to the reference (GRPO) or DPO's beta. Default 0.02 (GRPO); DPO wants ~0.1.</summary>
    public double Beta { get; init; } = 0.02;

    /// <summary>GRPO: prompts per update. DPO: pairs per update. Default 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>GRPO: completions per prompt (G). DPO: samples per prompt when collecting pairs. Default 8.</summary>
    public int NumGenerations { get; init; } = 8;

    /// <summary>Sampling temperature for rollouts and collection. Default 0.7 (at 1.0 the char-level SFT model rarely ends).</summary>
    public double Temperature { get; init; } = 0.7;

    /// <summary>Top-k for rollouts and collection (0: off). Default 20.</summary>
    public int TopK { get; init; } = 20;

    /// <summary>Most tokens per completion. Default 40.</summary>
    public int MaxCompletionLength { get; init; } = 40;

    /// <summary>DPO: weight of the NLL term on the chosen answer (RPO; TRL's rpo_alpha); 0 turns it off. Default 1.</summary>
    public double RpoAlpha { get; init; } = 1.0;

    /// <summary>DPO: how many training prompts to sample pairs from (0: all). Default 800.</summary>
    public int CollectionPrompts { get; init; } = 800;

    /// <summary>Checkpoint (and heartbeat its artifact) every N updates. Default 10.</summary>
    public int SaveSteps { get; init; } = 10;

    /// <summary>Seed. Default 7.</summary>
    public ulong Seed { get; init; } = 7;

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
    }
}
