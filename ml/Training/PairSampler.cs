using Pipeline.ML.Compute;

namespace Pipeline.ML.Training;

/// <summary>
/// Deals item indices in batches, epoch after epoch, reshuffling each epoch (Fisher–Yates from its own seeded
/// generator, as <see cref="RowSampler"/>); a last partial batch is completed from the next epoch. Its position
/// (epoch, cursor, this epoch's order, generator state) round-trips through <see cref="SamplerState"/> for an exact resume.
/// </summary>
internal sealed class PairSampler
{
    private readonly int _count;
    private readonly int _batchSize;
    private Rng _rng;
    private int[] _order;

    public PairSampler(int count, int batchSize, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _count = count;
        _batchSize = batchSize;
        _rng = new Rng(seed);
        _order = NewOrder();
    }

    public int Epoch { get; private set; }

    public int Cursor { get; private set; }

    /// <summary>Epochs completed, fractional (HF's <c>epoch</c> log field).</summary>
    public double EpochProgress => Epoch + (double)Cursor / _count;

    public int[] Next()
    {
        var batch = new int[_batchSize];
        for (var b = 0; b < _batchSize; b++)
        {
            if (Cursor == _count)
            {
                Epoch++;
                Cursor = 0;
                _order = NewOrder();
            }
            batch[b] = _order[Cursor++];
        }
        return batch;
    }

    public SamplerState GetState() => new(Epoch, Cursor, _rng.GetState(), (int[])_order.Clone());

    public void SetState(SamplerState state)
    {
        if (state.Order.Length != _count || state.Cursor < 0 || state.Cursor > _count ||
            state.Order.Any(i => (uint)i >= (uint)_count))
        {
            throw new ArgumentException(
                $"the checkpoint's data position is for {state.Order.Length} pairs but this dataset has {_count}: " +
                "resume with the same data and settings");
        }
        Epoch = state.Epoch;
        Cursor = state.Cursor;
        _rng = Rng.FromState(state.Rng);
        _order = (int[])state.Order.Clone();
    }

    private int[] NewOrder()
    {
        var order = Enumerable.Range(0, _count).ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = _rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
