using Pipeline.ML.Compute;

namespace Pipeline.ML.Training;

/// <summary>
/// Deals the indices 0..n−1 epoch after epoch, reshuffling each epoch (Fisher–Yates) with its own generator. Its whole
/// state (epoch, cursor, generator, the current order) goes into checkpoints, so a resumed run deals the same items
/// in the same order as one that never stopped. <see cref="RowSampler"/> deals SFT rows with it, the DPO and reward
/// trainers pairs, the GRPO trainer prompts.
/// </summary>
public sealed class IndexSampler
{
    private readonly int _count;
    private readonly bool _shuffle;
    private readonly string _noun;
    private Rng _rng;
    private int[] _order;

    /// <param name="noun">what the indices stand for ("rows", "pairs", "prompts"), for the resume error.</param>
    public IndexSampler(int count, ulong seed, bool shuffle = true, string noun = "rows")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _count = count;
        _shuffle = shuffle;
        _noun = noun;
        _rng = new Rng(seed);
        _order = NewOrder();
    }

    public int Epoch { get; private set; }

    /// <summary>Index into the current epoch's order of the next item to deal.</summary>
    public int Cursor { get; private set; }

    public int Count => _count;

    /// <summary>Epochs completed, fractional (HF's <c>epoch</c> log field).</summary>
    public double EpochProgress => Epoch + (double)Cursor / _count;

    public int Next()
    {
        if (Cursor == _count)
        {
            Epoch++;
            Cursor = 0;
            _order = NewOrder();
        }
        return _order[Cursor++];
    }

    /// <summary>The next <paramref name="n"/> indices; an epoch's last partial batch is completed from the next epoch.</summary>
    public int[] Next(int n)
    {
        var picked = new int[n];
        for (var i = 0; i < n; i++)
        {
            picked[i] = Next();
        }
        return picked;
    }

    public SamplerState GetState() => new(Epoch, Cursor, _rng.GetState(), (int[])_order.Clone());

    public void SetState(SamplerState state)
    {
        if (state.Order.Length != _count || state.Cursor < 0 || state.Cursor > _count ||
            state.Order.Any(i => (uint)i >= (uint)_count))
        {
            throw new ArgumentException(
                $"the checkpoint's data position is for {state.Order.Length} {_noun} but this dataset has {_count}: " +
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
