namespace Pipeline.ML.Losses;

/// <summary>What GRPO divides a centred reward by (TRL's <c>scale_rewards</c>).</summary>
public enum GrpoRewardScaling
{
    /// <summary>The standard deviation of the prompt's group (DeepSeekMath; TRL's "group", the default).</summary>
    Group,

    /// <summary>The standard deviation over the whole generation batch (TRL's "batch", PPO Lite).</summary>
    Batch,

    /// <summary>Nothing: the advantage is r − mean(group) (TRL's "none"; Dr. GRPO argues std scaling biases toward easy and hard prompts).</summary>
    None,
}
