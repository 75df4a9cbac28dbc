namespace Pipeline.ML.Optim;

/// <summary>AdamW hyperparameters (Loshchilov &amp; Hutter 2019, https://arxiv.org/abs/1711.05101), named as torch.optim.AdamW.</summary>
public sealed record AdamWOptions
{
    /// <summary>Peak learning rate (the schedule scales it). Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>β1, the first-moment decay. Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β2, the second-moment decay. Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε added to √v̂. Default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay λ: p ← p − lr·λ·p, applied to matrices only (norm weights are not decayed, as HF Trainer). Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    public void Validate()
    {
        if (!(LearningRate >= 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentException($"learning_rate must be a finite number >= 0, got {LearningRate}");
        }
        if (!(Beta1 is >= 0 and < 1) || !(Beta2 is >= 0 and < 1))
        {
            throw new ArgumentException($"adam betas must be in [0, 1), got ({Beta1}, {Beta2})");
        }
        if (!(Epsilon > 0))
        {
            throw new ArgumentException($"adam epsilon must be > 0, got {Epsilon}");
        }
        if (!(WeightDecay >= 0))
        {
            throw new ArgumentException($"weight_decay must be >= 0, got {WeightDecay}");
        }
    }
}
