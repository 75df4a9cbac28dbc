namespace Pipeline.ML.Tokenization;

/// <summary>The trainer's working state: words as symbol ids, the weighted count of every adjacent pair, which
/// words hold each pair, and a lazy max-heap over counts (an entry whose count went stale is re-queued when
/// popped; a count that grows is queued afresh), as in HF's <c>BpeTrainer::do_train</c>.</summary>
internal sealed class BpePairCounts
{
    private readonly int[][] _words;
    private readonly long[] _wordCounts;
    private readonly Dictionary<long, long> _pairCounts = [];
    private readonly Dictionary<long, HashSet<int>> _where = [];
    private readonly PriorityQueue<long, (long Count, long Pair)> _queue;

    public BpePairCounts(int[][] words, long[] wordCounts, List<string> tokens)
    {
        _words = words;
        _wordCounts = wordCounts;
        _queue = new PriorityQueue<long, (long Count, long Pair)>(new PairOrder(tokens));
        for (var w = 0; w < words.Length; w++)
        {
            for (var i = 0; i + 1 < words[w].Length; i++)
            {
                var pair = BpeModel.Key(words[w][i], words[w][i + 1]);
                _pairCounts[pair] = _pairCounts.GetValueOrDefault(pair) + wordCounts[w];
                Where(pair).Add(w);
            }
        }

        foreach (var (pair, count) in _pairCounts)
        {
            _queue.Enqueue(pair, (count, pair));
        }
    }

    public bool TryTakeBest(int minFrequency, out int left, out int right)
    {
        while (_queue.TryDequeue(out var pair, out var queued))
        {
            var count = _pairCounts.GetValueOrDefault(pair);
            if (count != queued.Count)
            {
                if (count > 0)
                {
                    _queue.Enqueue(pair, (count, pair));
                }

                continue;
            }

            if (count < minFrequency)
            {
                break;
            }

            (left, right) = ((int)(pair >> 32), (int)(uint)pair);
            return true;
        }

        (left, right) = (-1, -1);
        return false;
    }

    public void Merge(int left, int right, int newId)
    {
        var pair = BpeModel.Key(left, right);
        var grown = new HashSet<long>();
        var delta = new Dictionary<long, int>();
        foreach (var w in _where[pair].Order())
        {
            var before = _words[w];
            var after = MergeWord(before, left, right, newId);
            if (after.Length == before.Length)
            {
                continue; // stale entry: the pair left this word in an earlier merge
            }

            delta.Clear();
            AddPairs(before, delta, -1);
            AddPairs(after, delta, +1);
            foreach (var (p, d) in delta)
            {
                if (d == 0)
                {
                    continue;
                }

                _pairCounts[p] = _pairCounts.GetValueOrDefault(p) + d * _wordCounts[w];
                if (d > 0)
                {
                    Where(p).Add(w);
                    grown.Add(p);
                }
            }

            _words[w] = after;
        }

        _pairCounts.Remove(pair);
        _where.Remove(pair);
        foreach (var p in grown.Order())
        {
            _queue.Enqueue(p, (_pairCounts[p], p));
        }
    }

    private static int[] MergeWord(int[] word, int left, int right, int newId)
    {
        var merged = new List<int>(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            if (i + 1 < word.Length && word[i] == left && word[i + 1] == right)
            {
                merged.Add(newId);
                i++;
            }
            else
            {
                merged.Add(word[i]);
            }
        }

        return merged.ToArray();
    }

    private static void AddPairs(int[] word, Dictionary<long, int> delta, int sign)
    {
        for (var i = 0; i + 1 < word.Length; i++)
        {
            var pair = BpeModel.Key(word[i], word[i + 1]);
            delta[pair] = delta.GetValueOrDefault(pair) + sign;
        }
    }

    private HashSet<int> Where(long pair)
    {
        if (!_where.TryGetValue(pair, out var words))
        {
            words = [];
            _where[pair] = words;
        }

        return words;
    }

    /// <summary>Highest count first; among equal counts the ordinally smallest (left, right) token strings.</summary>
    private sealed class PairOrder(List<string> tokens) : IComparer<(long Count, long Pair)>
    {
        public int Compare((long Count, long Pair) x, (long Count, long Pair) y)
        {
            if (x.Count != y.Count)
            {
                return y.Count.CompareTo(x.Count);
            }

            var left = string.CompareOrdinal(tokens[(int)(x.Pair >> 32)], tokens[(int)(y.Pair >> 32)]);
            return left != 0 ? left : string.CompareOrdinal(tokens[(int)(uint)x.Pair], tokens[(int)(uint)y.Pair]);
        }
    }
}
