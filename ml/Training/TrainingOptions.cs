using Pipeline.ML.Optim;

namespace Pipeline.ML.Training;

/// <summary>Hyperparameters of a training run, named after HF TrainingArguments / TRL's SFTConfig.</summary>
public sealed record TrainingOptions
{
    /// <summary>Optimizer updates in the run (max_steps). Required.</summary>
    public required long MaxSteps { get; init; }

    /// <summary>Sequences per micro-batch (per_device_train_batch_size). Default 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Micro-batches summed into one update (gradient_accumulation_steps). Default 1.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Peak learning rate (learning_rate). Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Linear warmup updates (warmup_steps). Default 0.</summary>
    public long WarmupSteps { get; init; }

    /// <summary>Decay after warmup (lr_scheduler_type). Default cosine.</summary>
    public ScheduleKind LrSchedulerType { get; init; } = ScheduleKind.Cosine;

    /// <summary>Floor of the decay as a fraction of the peak (min_lr_rate). Default 0.</summary>
    public double MinLrRatio { get; init; }

    /// <summary>AdamW decoupled weight decay (weight_decay). Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>AdamW β1 (adam_beta1). Default 0.9.</summary>
    public double AdamBeta1 { get; init; } = 0.9;

    /// <summary>AdamW β2 (adam_beta2). Default 0.999.</summary>
    public double AdamBeta2 { get; init; } = 0.999;

    /// <summary>AdamW ε (adam_epsilon). Default 1e-8.</summary>
    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>Global gradient-norm clip (max_grad_norm); 0 disables clipping. Default 1.0.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Seed for data order and dropout (seed). Default 42.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Log metrics every N updates (logging_steps). Default 10.</summary>
    public int LoggingSteps { get; init; } = 10;

    /// <summary>Write a checkpoint every N updates (save_steps); 0 only at the end. Default 0.</summary>
    public int SaveSteps { get; init; }

    /// <summary>Evaluate on the held-out rows every N updates (eval_steps); 0 only at the end. Default 0.</summary>
    public int EvalSteps { get; init; }

    /// <summary>Keep at most this many checkpoints, deleting the oldest (save_total_limit); 0 keeps all. Default 2.</summary>
    public int SaveTotalLimit { get; init; } = 2;

    public AdamWOptions AdamW => new()
    {
        LearningRate = LearningRate, Beta1 = AdamBeta1, Beta2 = AdamBeta2, Epsilon = AdamEpsilon, WeightDecay = WeightDecay,
    };

    public LearningRateSchedule Schedule => new()
    {
        Peak = LearningRate, TotalSteps = MaxSteps, WarmupSteps = WarmupSteps, Kind = LrSchedulerType, MinRatio = MinLrRatio,
    };

    public void Validate()
    {
        if (MaxSteps <= 0)
        {
            throw new ArgumentException($"max_steps must be > 0, got {MaxSteps}");
        }
        if (BatchSize <= 0)
        {
            throw new ArgumentException($"per_device_train_batch_size must be > 0, got {BatchSize}");
        }
        if (GradientAccumulationSteps <= 0)
        {
            throw new ArgumentException($"gradient_accumulation_steps must be > 0, got {GradientAccumulationSteps}");
        }
        if (!(MaxGradNorm >= 0))
        {
            throw new ArgumentException($"max_grad_norm must be >= 0, got {MaxGradNorm}");
        }
        if (LoggingSteps <= 0 || SaveSteps < 0 || EvalSteps < 0 || SaveTotalLimit < 0)
        {
            throw new ArgumentException("logging_steps must be > 0; save_steps, eval_steps and save_total_limit must be >= 0");
        }
        AdamW.Validate();
        Schedule.Validate();
    }
}
