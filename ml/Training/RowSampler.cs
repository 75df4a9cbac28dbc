using Pipeline.ML.Compute;
using Pipeline.ML.Models;

namespace Pipeline.ML.Training;

/// <summary>
/// Deals rows into batches epoch after epoch, reshuffling each epoch with its own generator. Its whole state
/// (epoch, cursor, generator, the current order) is saved in checkpoints, so a resumed run sees the same batches in
/// the same order as one that never stopped.
/// </summary>
public sealed class RowSampler
{
    private readonly IReadOnlyList<TrainingRow> _rows;
    private readonly int _batchSize;
    private readonly bool _shuffle;
    private Rng _rng;
    private int[] _order;

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
        _shuffle = shuffle;
        _rng = new Rng(seed);
        _order = NewOrder();
    }

    public int Epoch { get; private set; }

    /// <summary>Index into the current epoch's order of the next row to deal.</summary>
    public int Cursor { get; private set; }

    public int RowsPerEpoch => _rows.Count;

    /// <summary>Batches per epoch (the last, partial batch is completed from the next epoch).</summary>
    public double BatchesPerEpoch => (double)_rows.Count / _batchSize;

    /// <summary>Epochs completed, fractional (HF's <c>epoch</c> log field).</summary>
    public double EpochProgress => Epoch + (double)Cursor / _rows.Count;

    public TokenBatch Next()
    {
        var rows = new TrainingRow[_batchSize];
        for (var b = 0; b < _batchSize; b++)
        {
            if (Cursor == _rows.Count)
            {
                Epoch++;
                Cursor = 0;
                _order = NewOrder();
            }
            rows[b] = _rows[_order[Cursor++]];
        }
        return TrainingRow.ToBatch(rows);
    }

    public SamplerState GetState() => new(Epoch, Cursor, _rng.GetState(), (int[])_order.Clone());

    public void SetState(SamplerState state)
    {
        if (state.Order.Length != _rows.Count || state.Cursor < 0 || state.Cursor > _rows.Count ||
            state.Order.Any(i => (uint)i >= (uint)_rows.Count))
        {
            throw new ArgumentException(
                $"the checkpoint's data position is for {state.Order.Length} rows but this dataset has {_rows.Count}: " +
                "resume with the same data and settings");
        }
        Epoch = state.Epoch;
        Cursor = state.Cursor;
        _rng = Rng.FromState(state.Rng);
        _order = (int[])state.Order.Clone();
    }

    private int[] NewOrder()
    {
        var order = Enumerable.Range(0, _rows.Count).ToArray();
        if (_shuffle)
        {
            for (var i = order.Length - 1; i > 0; i--)
            {
                var j = _rng.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        return order;
    }
}
