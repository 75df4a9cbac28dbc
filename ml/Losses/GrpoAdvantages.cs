namespace Pipeline.ML.Losses;

/// <summary>
/// GRPO's group-relative advantage (DeepSeekMath §4.1.2, outcome supervision): each completion's reward minus the mean
/// of its prompt's group, divided by the group's standard deviation + ε. Every token of a completion gets its
/// completion's advantage. A group whose rewards are all equal teaches nothing: its advantages are 0.
/// </summary>
public static class GrpoAdvantages
{
    /// <summary>ε added to the standard deviation, as TRL (1e-4): keeps a near-uniform group from exploding.</summary>
    public const double Epsilon = 1e-4;

    /// <summary>
    /// Advantages of <paramref name="rewards"/>, laid out as consecutive groups of <paramref name="groupSize"/>
    /// completions of one prompt. The standard deviation is the population one (divide by G), as the issue states;
    /// TRL uses torch's unbiased std (divide by G − 1), which gives advantages √((G−1)/G) times smaller.
    /// </summary>
    public static double[] Compute(IReadOnlyList<double> rewards, int groupSize, GrpoRewardScaling scaling = GrpoRewardScaling.Group)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        if (rewards.Count % groupSize != 0)
        {
            throw new ArgumentException($"{rewards.Count} rewards do not split into groups of {groupSize}");
        }
        var advantages = new double[rewards.Count];
        var batchStd = PopulationStd(rewards, 0, rewards.Count);
        for (var start = 0; start < rewards.Count; start += groupSize)
        {
            var mean = Mean(rewards, start, groupSize);
            var scale = scaling switch
            {
                GrpoRewardScaling.Group => PopulationStd(rewards, start, groupSize) + Epsilon,
                GrpoRewardScaling.Batch => batchStd + Epsilon,
                _ => 1.0,
            };
            for (var i = start; i < start + groupSize; i++)
            {
                advantages[i] = (rewards[i] - mean) / scale;
            }
        }
        return advantages;
    }

    /// <summary>The population standard deviation of each group (reward_std is their mean; a zero marks a group with nothing to learn).</summary>
    public static double[] GroupStds(IReadOnlyList<double> rewards, int groupSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        var stds = new double[rewards.Count / groupSize];
        for (var g = 0; g < stds.Length; g++)
        {
            stds[g] = PopulationStd(rewards, g * groupSize, groupSize);
        }
        return stds;
    }

    public static double Mean(IReadOnlyList<double> values, int start, int count)
    {
        double sum = 0;
        for (var i = start; i < start + count; i++)
        {
            sum += values[i];
        }
        return count == 0 ? 0 : sum / count;
    }

    public static double PopulationStd(IReadOnlyList<double> values, int start, int count)
    {
        if (count == 0)
        {
            return 0;
        }
        var mean = Mean(values, start, count);
        double sq = 0;
        for (var i = start; i < start + count; i++)
        {
            sq += (values[i] - mean) * (values[i] - mean);
        }
        return Math.Sqrt(sq / count);
    }
}
