namespace Pipeline.ML.Training;

/// <summary>Hyperparameters of a reward-model run, named after TRL's RewardConfig.</summary>
public sealed record RewardTrainingOptions
{
    /// <summary>The loop's settings: steps, batch size (pairs per micro-batch), optimizer, schedule, logging, saving.</summary>
    public required TrainingOptions Training { get; init; }

    /// <summary>Weight c of the term c·mean((r_w + r_l)²) that keeps rewards centred on 0 (center_rewards_coefficient); 0 is off. Default 0.</summary>
    public double CenterRewardsCoefficient { get; init; }

    /// <summary>Pads each micro-batch up to a multiple of this many tokens, so few activation shapes are allocated. Default 16.</summary>
    public int PadToMultipleOf { get; init; } = 16;

    public void Validate()
    {
        Training.Validate();
        if (!(CenterRewardsCoefficient >= 0))
        {
            throw new ArgumentException($"center_rewards_coefficient must be >= 0, got {CenterRewardsCoefficient}");
        }
        if (PadToMultipleOf <= 0)
        {
            throw new ArgumentException($"pad_to_multiple_of must be > 0, got {PadToMultipleOf}");
        }
    }
}
