namespace Pipeline.ML.Data;

/// <summary>Open bins of one capacity, indexed by remaining space, answering "the fullest bin that still fits n" in
/// O(log capacity): a segment tree over remaining space marks which amounts have bins, and each amount keeps its bins
/// lowest index first, so ties go to the earliest bin and the packing is deterministic. (TRL's bfd uses the same
/// segment tree.)</summary>
internal sealed class BestFitBins
{
    private readonly int _capacity;
    private readonly int _leaves;
    private readonly bool[] _any;
    private readonly PriorityQueue<int, int>?[] _bySpace;

    public BestFitBins(int capacity)
    {
        _capacity = capacity;
        _leaves = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity + 1);
        _any = new bool[2 * _leaves];
        _bySpace = new PriorityQueue<int, int>?[capacity + 1];
    }

    public int Count { get; private set; }

    /// <summary>Puts an item of <paramref name="length"/> (1..capacity) into the bin with the least space that fits
    /// it, opening a new bin when none does; returns the bin's index.</summary>
    public int Place(int length)
    {
        int bin;
        var space = SmallestSpaceAtLeast(length, node: 1, lo: 0, hi: _leaves - 1);
        if (space < 0)
        {
            bin = Count++;
            space = _capacity;
        }
        else
        {
            var bins = _bySpace[space]!;
            bin = bins.Dequeue();
            if (bins.Count == 0)
            {
                Mark(space, false);
            }
        }

        var left = space - length;
        if (left > 0)
        {
            (_bySpace[left] ??= new PriorityQueue<int, int>()).Enqueue(bin, bin);
            Mark(left, true);
        }

        return bin;
    }

    private int SmallestSpaceAtLeast(int min, int node, int lo, int hi)
    {
        if (hi < min || !_any[node])
        {
            return -1;
        }

        if (lo == hi)
        {
            return lo;
        }

        var mid = (lo + hi) / 2;
        var left = SmallestSpaceAtLeast(min, 2 * node, lo, mid);
        return left >= 0 ? left : SmallestSpaceAtLeast(min, 2 * node + 1, mid + 1, hi);
    }

    private void Mark(int space, bool any)
    {
        var node = _leaves + space;
        _any[node] = any;
        for (node /= 2; node >= 1; node /= 2)
        {
            _any[node] = _any[2 * node] || _any[2 * node + 1];
        }
    }
}
