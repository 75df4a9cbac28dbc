namespace Pipeline.Workers.Bench;

/// <summary>
/// GRPO's figures for one config: median rollout tokens/s (completion tokens sampled per second of generation) and
/// median update tokens/s (prompt + completion tokens per second of forward, backward and AdamW), next to the SFT
/// step's tokens/s on the same model, measured in the same run.
/// </summary>
public sealed record GrpoBenchResult(
    string Config, int Generations, int PromptsPerStep, int PromptTokens, int MaxCompletionTokens, double Beta, int WarmupSteps, int TimedSteps,
    double RolloutTokensPerSecond, double UpdateTokensPerSecond, double MeanCompletionLength)
{
    /// <summary>The SFT step's tokens/s on the same config (TrainBench, full fine-tune), set by the command.</summary>
    public double SftTokensPerSecond { get; init; }

    public double RolloutVsSft => RolloutTokensPerSecond / SftTokensPerSecond;

    public double UpdateVsSft => UpdateTokensPerSecond / SftTokensPerSecond;
}
