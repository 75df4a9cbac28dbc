namespace Pipeline.ML.Rewards;

/// <summary>
/// Scores one completion of one prompt — TRL's reward function. Rule-based verifiers, a trained reward model and
/// human labels all sit behind this one contract, so GRPO and preference collection take any of them.
/// </summary>
public interface IRewardFunction
{
    /// <summary>The name metrics are logged under: <c>rewards/{Name}/mean</c>.</summary>
    string Name { get; }

    /// <summary>One score per input, in order. Batched because a reward model scores many completions in one pass.</summary>
    IReadOnlyList<double> Score(IReadOnlyList<RewardInput> inputs);
}
