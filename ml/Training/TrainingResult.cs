namespace Pipeline.ML.Training;

/// <summary>How a run ended: the last step, the final logged metrics, and the checkpoint written last (if any).</summary>
public sealed record TrainingResult(long Steps, IReadOnlyList<TrainingLog> History, string? LastCheckpoint);
