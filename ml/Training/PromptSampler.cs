using Pipeline.ML.Compute;

namespace Pipeline.ML.Training;

/// <summary>
/// Deals prompt indices epoch after epoch, reshuffled each epoch — <see cref="RowSampler"/>'s habits for prompts, with
/// the same saved state, so a resumed GRPO run samples the same prompts in the same order.
/// </summary>
internal sealed class PromptSampler
{
    private readonly int _count;
    private Rng _rng;
    private int[] _order;

    public PromptSampler(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _count = count;
        _rng = new Rng(seed);
        _order = NewOrder();
    }

    public int Epoch { get; private set; }

    public int Cursor { get; private set; }

    public double EpochProgress => Epoch + (double)Cursor / _count;

    public int[] Next(int n)
    {
        var picked = new int[n];
        for (var i = 0; i < n; i++)
        {
            if (Cursor == _count)
            {
                Epoch++;
                Cursor = 0;
                _order = NewOrder();
            }
            picked[i] = _order[Cursor++];
        }
        return picked;
    }

    public SamplerState GetState() => new(Epoch, Cursor, _rng.GetState(), (int[])_order.Clone());

    public void SetState(SamplerState state)
    {
        if (state.Order.Length != _count || state.Cursor < 0 || state.Cursor > _count || state.Order.Any(i => (uint)i >= (uint)_count))
        {
            throw new ArgumentException(
                $"the checkpoint's data position is for {state.Order.Length} prompts but this dataset has {_count}: resume with the same prompts");
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
