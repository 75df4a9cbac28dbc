namespace Pipeline.Workflows.Contracts;

/// <summary>LoRA SFT hyperparameters (PEFT / HF TrainingArguments names).</summary>
public sealed record SftConfig
{
    /// <summary>LoRA rank. Default 16.</summary>
    public int LoraR { get; init; } = 16;

    /// <summary>LoRA alpha (scale alpha/r). Default 32.</summary>
    public double LoraAlpha { get; init; } = 32;

    /// <summary>Optimizer updates. Default 560 (about 3 epochs of the demo's 3,000 rows packed to 128): at 280 most bases
    /// reached only 0.04–0.11 in-domain, at 560 the demo's base reaches 0.73 (tuning/RESULTS.md, 2026-11-22).</summary>
    public int MaxSteps { get; init; } = 560;

    /// <summary>Peak learning rate, after <see cref="WarmupSteps"/>, cosine to 0. Default 2e-3 (LoRA).</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>Linear warmup updates. Default 10.</summary>
    public int WarmupSteps { get; init; } = 10;

    /// <summary>Dropout on the adapter's input. Default 0 (the measured recipe; PEFT's default is 0.05).</summary>
    public double LoraDropout { get; init; }

    /// <summary>Sequences per update. Default 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Tokens per packed sequence. Default 128.</summary>
    public int SeqLen { get; init; } = 128;

    /// <summary>Checkpoint (and heartbeat its artifact) every N updates: a retried attempt loses at most this many. Default 40.</summary>
    public int SaveSteps { get; init; } = 40;

    /// <summary>Seed for the adapter's init and the data order. Default 42.</summary>
    public ulong Seed { get; init; } = 42;

    public IEnumerable<string> Problems()
    {
        if (LoraR < 1) yield return "Sft.LoraR must be ≥ 1 (the recipe's SFT is LoRA)";
        if (LoraAlpha <= 0) yield return "Sft.LoraAlpha must be > 0";
        if (MaxSteps < 1) yield return "Sft.MaxSteps must be ≥ 1";
        if (LearningRate is <= 0 or > 1) yield return "Sft.LearningRate must be in (0, 1]";
        if (WarmupSteps < 0 || WarmupSteps > MaxSteps) yield return $"Sft.WarmupSteps must be in [0, Sft.MaxSteps = {MaxSteps}], got {WarmupSteps}";
        if (LoraDropout is < 0 or >= 1) yield return "Sft.LoraDropout must be in [0, 1)";
        if (BatchSize < 1) yield return "Sft.BatchSize must be ≥ 1";
        if (SeqLen < 8) yield return "Sft.SeqLen must be ≥ 8";
        if (SaveSteps < 1) yield return "Sft.SaveSteps must be ≥ 1";
    }
}
