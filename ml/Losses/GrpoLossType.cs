namespace Pipeline.ML.Losses;

/// <summary>
/// How GRPO's per-token losses become one number (TRL's <c>loss_type</c>). They differ in the weight each completion
/// token gets, and so in how a completion's length scales its share of the gradient.
/// </summary>
public enum GrpoLossType
{
    /// <summary>
    /// DeepSeekMath's objective: the token mean within each completion, then the mean over completions
    /// (1 / (N·|oᵢ|) per token). Short completions weigh more per token (TRL's "grpo").
    /// </summary>
    Grpo,

    /// <summary>
    /// The token mean over every completion token of the update (1 / Σ|oᵢ| per token). The normalisation runs over the
    /// whole accumulated step, which on one device is TRL's "dapo" (TRL's "bnpo" normalises per micro-batch).
    /// </summary>
    Bnpo,

    /// <summary>Dr. GRPO: the token sum divided by a constant, N · max_completion_length, so length adds no bias.</summary>
    DrGrpo,
}
