namespace Pipeline.ML.Optim;

/// <summary>The decay after warmup, as HF's lr_scheduler_type.</summary>
public enum ScheduleKind
{
    Constant,
    Linear,
    Cosine,
}
