using Pipeline.ML.Models;

namespace Pipeline.ML.Training;

/// <summary>
/// Deals rows into batches epoch after epoch, reshuffling each epoch (an <see cref="IndexSampler"/>). Its whole
/// state is saved in checkpoints, so a resumed run sees the same batches in the same order as one that never stopped.
/// </summary>
public sealed class RowSampler
{
    private readonly IReadOnlyList<TrainingRow> _rows;
    private readonly int _batchSize;
    private readonly IndexSampler _indices;

    public RowSampler(IReadOnlyList<TrainingRow> rows, int batchSize, ulong seed, bool shuffle = true)
    {
        if (rows.Count == 0)
        {
            throw new ArgumentException("no training rows");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var t = rows[0].InputIds.Length;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].InputIds.Length != t || rows[i].Labels.Length != t || (rows[i].PositionIds?.Length ?? t) != t)
            {
                throw new ArgumentException($"training row {i} is not {t} tokens long in every field");
            }
        }
        _rows = rows;
        _batchSize = batchSize;
        _indices = new IndexSampler(rows.Count, seed, shuffle);
    }

    public int Epoch => _indices.Epoch;

    /// <summary>Index into the current epoch's order of the next row to deal.</summary>
    public int Cursor => _indices.Cursor;

    public int RowsPerEpoch => _rows.Count;

    /// <summary>Batches per epoch (the last, partial batch is completed from the next epoch).</summary>
    public double BatchesPerEpoch => (double)_rows.Count / _batchSize;

    /// <summary>Epochs completed, fractional (HF's <c>epoch</c> log field).</summary>
    public double EpochProgress => _indices.EpochProgress;

    public TokenBatch Next()
    {
        return TrainingRow.ToBatch([.. _indices.Next(_batchSize).Select(i => _rows[i])]);
    }

    public SamplerState GetState() => _indices.GetState();

    public void SetState(SamplerState state) => _indices.SetState(state);
}
