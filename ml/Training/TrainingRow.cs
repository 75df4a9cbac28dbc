using Pipeline.ML.Models;

namespace Pipeline.ML.Training;

/// <summary>
/// One training sequence of T tokens: inputs, labels (−100 where there is no loss; the shift happens in the model)
/// and optional RoPE positions (restarting at 0 per packed document).
/// </summary>
public sealed record TrainingRow(int[] InputIds, int[] Labels, int[]? PositionIds = null)
{
    /// <summary>Rows of equal length as one batch; a row without positions counts 0..T−1.</summary>
    public static TokenBatch ToBatch(IReadOnlyList<TrainingRow> rows) =>
        TokenBatch.Create(
            rows.Select(r => r.InputIds).ToList(), rows.Select(r => r.Labels).ToList(),
            rows.Select(r => r.PositionIds ?? Enumerable.Range(0, r.InputIds.Length).ToArray()).ToList());
}
