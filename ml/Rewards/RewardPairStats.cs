namespace Pipeline.ML.Rewards;

/// <summary>
/// Sums over preference pairs that micro-batches and log windows add up, and the metrics TRL's RewardTrainer logs from
/// them: <c>loss</c>, <c>accuracy</c> (fraction with r_w &gt; r_l; a tie is not a win), <c>margin</c> (mean r_w − r_l),
/// <c>mean_reward</c>, <c>min_reward</c>, <c>max_reward</c> (over both rewards of every pair).
/// </summary>
public sealed record RewardPairStats(long Pairs, double LossSum, long Correct, double MarginSum, double RewardSum, double MinReward, double MaxReward)
{
    public static RewardPairStats Empty { get; } = new(0, 0, 0, 0, 0, double.PositiveInfinity, double.NegativeInfinity);

    public double Loss => Pairs == 0 ? 0 : LossSum / Pairs;

    public double Accuracy => Pairs == 0 ? 0 : (double)Correct / Pairs;

    public double Margin => Pairs == 0 ? 0 : MarginSum / Pairs;

    public double MeanReward => Pairs == 0 ? 0 : RewardSum / (2 * Pairs);

    /// <summary>One more pair with loss <paramref name="loss"/> and rewards r_w = <paramref name="chosen"/>, r_l = <paramref name="rejected"/>.</summary>
    public RewardPairStats Add(double loss, double chosen, double rejected) => new(
        Pairs + 1, LossSum + loss, Correct + (chosen > rejected ? 1 : 0), MarginSum + chosen - rejected, RewardSum + chosen + rejected,
        Math.Min(MinReward, Math.Min(chosen, rejected)), Math.Max(MaxReward, Math.Max(chosen, rejected)));

    public RewardPairStats Add(RewardPairStats other) => new(
        Pairs + other.Pairs, LossSum + other.LossSum, Correct + other.Correct, MarginSum + other.MarginSum,
        RewardSum + other.RewardSum, Math.Min(MinReward, other.MinReward), Math.Max(MaxReward, other.MaxReward));

    /// <summary>The metrics under TRL's names, each prefixed (<c>eval_</c> in evaluation).</summary>
    public Dictionary<string, double> Metrics(string prefix = "") => new()
    {
        [prefix + "loss"] = Loss,
        [prefix + "accuracy"] = Accuracy,
        [prefix + "margin"] = Margin,
        [prefix + "mean_reward"] = MeanReward,
        [prefix + "min_reward"] = Pairs == 0 ? 0 : MinReward,
        [prefix + "max_reward"] = Pairs == 0 ? 0 : MaxReward,
    };
}
