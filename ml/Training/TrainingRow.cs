namespace Pipeline.ML.Training;

/// <summary>
/// One training sequence of T tokens: inputs, labels (−100 where there is no loss; the shift happens in the model)
/// and optional RoPE positions (restarting at 0 per packed document).
/// </summary>
public sealed record TrainingRow(int[] InputIds, int[] Labels, int[]? PositionIds = null);
