namespace Pipeline.Workflows.Contracts;

/// <summary>How to make the base model when the recipe's base reference is not registered yet: a LLaMA-architecture
/// model pretrained from scratch on the dataset version's raw-text corpus with a character-level tokenizer, then gated
/// on its raw-format held-out accuracy. Defaults: ../shared/DEMO-DOMAIN.md's 0.83M-parameter model.</summary>
public sealed record PretrainConfig
{
    /// <summary>Tokenizer vocabulary: 256 bytes + the chat special tokens (characters only). Default 260.</summary>
    public int VocabSize { get; init; } = 260;

    public int HiddenSize { get; init; } = 128;

    public int Layers { get; init; } = 4;

    public int Heads { get; init; } = 4;

    public int IntermediateSize { get; init; } = 512;

    /// <summary>Longest sequence the model can see (chat prompts + answers reach ~190 characters). Default 256.</summary>
    public int MaxPositionEmbeddings { get; init; } = 256;

    /// <summary>Optimizer updates. Default 5,000: raw-format held-out accuracy 0.964 [0.948, 0.978] on the demo's v1
    /// (tuning/RESULTS.md of 2026-11-22; the cosine length matters more than the step count: 4,500 steps end at 0.852,
    /// 6,000 at 0.978). About 5 minutes on 2 quiet cores.</summary>
    public int MaxSteps { get; init; } = 5000;

    public int BatchSize { get; init; } = 16;

    public int SeqLen { get; init; } = 64;

    public double LearningRate { get; init; } = 1e-3;

    public int WarmupSteps { get; init; } = 100;

    /// <summary>Cosine decay floor as a fraction of the peak. Default 0.1.</summary>
    public double MinLrRatio { get; init; } = 0.1;

    public double AdamBeta2 { get; init; } = 0.98;

    /// <summary>Checkpoint (and heartbeat it) every N updates. Default 500.</summary>
    public int SaveSteps { get; init; } = 500;

    /// <summary>Seed for init and data order. Default 42 (the measured run's).</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Suites and gate policy the base must pass. Defaults demo-base / base.</summary>
    public string Suites { get; init; } = "demo-base";

    public string Gate { get; init; } = "base";

    public IEnumerable<string> Problems()
    {
        if (VocabSize < 260) yield return "Pretrain.VocabSize must be ≥ 260 (256 bytes + the chat tokens)";
        if (HiddenSize < 8 || Layers < 1 || Heads < 1 || HiddenSize % Heads != 0) yield return "Pretrain.HiddenSize must be ≥ 8 and a multiple of Pretrain.Heads; Layers ≥ 1";
        if (IntermediateSize < 1) yield return "Pretrain.IntermediateSize must be ≥ 1";
        if (MaxPositionEmbeddings < SeqLen) yield return "Pretrain.MaxPositionEmbeddings must be ≥ Pretrain.SeqLen";
        if (MaxSteps < 1 || BatchSize < 1 || SeqLen < 2) yield return "Pretrain.MaxSteps, BatchSize must be ≥ 1 and SeqLen ≥ 2";
        if (LearningRate is <= 0 or > 1) yield return "Pretrain.LearningRate must be in (0, 1]";
        if (MinLrRatio is < 0 or > 1) yield return "Pretrain.MinLrRatio must be in [0, 1]";
        if (SaveSteps < 1) yield return "Pretrain.SaveSteps must be ≥ 1";
        if (WarmupSteps < 0 || WarmupSteps > MaxSteps) yield return $"Pretrain.WarmupSteps must be in [0, Pretrain.MaxSteps = {MaxSteps}], got {WarmupSteps}";
    }
}
