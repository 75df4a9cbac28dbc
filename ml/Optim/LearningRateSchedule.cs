namespace Pipeline.ML.Optim;

/// <summary>
/// Linear warmup from 0 to the peak, then constant, linear or cosine decay to <see cref="MinRatio"/>·peak at
/// <see cref="TotalSteps"/> (HF's get_cosine_schedule_with_warmup / cosine_with_min_lr). Step s is the update
/// about to be taken, counting from 0.
/// </summary>
public sealed record LearningRateSchedule
{
    /// <summary>The peak learning rate.</summary>
    public required double Peak { get; init; }

    /// <summary>Updates in the whole run.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>Updates of linear warmup. Default 0.</summary>
    public long WarmupSteps { get; init; }

    /// <summary>Decay after warmup. Default cosine.</summary>
    public ScheduleKind Kind { get; init; } = ScheduleKind.Cosine;

    /// <summary>The floor of the decay as a fraction of the peak (0.1 decays to 10%). Default 0.</summary>
    public double MinRatio { get; init; }

    public void Validate()
    {
        if (TotalSteps <= 0)
        {
            throw new ArgumentException($"total steps must be > 0, got {TotalSteps}");
        }
        if (WarmupSteps < 0 || WarmupSteps > TotalSteps)
        {
            throw new ArgumentException($"warmup_steps must be in [0, total steps = {TotalSteps}], got {WarmupSteps}");
        }
        if (!(MinRatio is >= 0 and <= 1))
        {
            throw new ArgumentException($"min_lr_ratio must be in [0, 1], got {MinRatio}");
        }
    }

    public double At(long step)
    {
        if (step < WarmupSteps)
        {
            // HF's lr_lambda: s / warmup, so the first update runs at lr 0 exactly as in HF Trainer.
            return Peak * step / WarmupSteps;
        }
        var span = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Clamp((double)(step - WarmupSteps) / span, 0, 1);
        var factor = Kind switch
        {
            ScheduleKind.Constant => 1.0,
            ScheduleKind.Linear => 1 - progress,
            ScheduleKind.Cosine => 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
        };
        return Peak * (MinRatio + (1 - MinRatio) * factor);
    }
}
