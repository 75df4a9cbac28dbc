using System.Collections.Concurrent;

namespace Pipeline.ML.Tokenization;

/// <summary>The BPE model proper: vocab, ranked merges, and the merge loop of one pre-tokenized word. Merges apply
/// lowest rank first, leftmost first among equal ranks — HF's <c>Word::merge_all</c> priority queue.</summary>
internal sealed class BpeModel
{
    private const int CacheLimit = 100_000;

    private readonly Dictionary<long, (int Rank, int NewId)> _merges = [];
    private readonly int[] _byteIds = new int[256];
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    public BpeModel(
        IReadOnlyDictionary<string, int> vocab,
        IReadOnlyList<(string Left, string Right)> merges,
        string? unkToken,
        bool ignoreMerges)
    {
        Vocab = vocab;
        Merges = merges;
        UnkToken = unkToken;
        IgnoreMerges = ignoreMerges;
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            var key = Key(vocab[left], vocab[right]);
            _merges.TryAdd(key, (rank, vocab[left + right]));
        }

        var unkId = unkToken is not null && vocab.TryGetValue(unkToken, out var u) ? u : -1;
        for (var b = 0; b < 256; b++)
        {
            _byteIds[b] = vocab.TryGetValue(ByteLevelAlphabet.ToChar((byte)b).ToString(), out var id) ? id : unkId;
        }
    }

    public IReadOnlyDictionary<string, int> Vocab { get; }

    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    public string? UnkToken { get; }

    public bool IgnoreMerges { get; }

    public static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>Token ids of one pre-tokenized piece given as its UTF-8 bytes.</summary>
    public int[] Tokenize(ReadOnlySpan<byte> bytes)
    {
        var word = ByteLevelAlphabet.Map(bytes);
        if (_cache.TryGetValue(word, out var cached))
        {
            return cached;
        }

        var ids = IgnoreMerges && Vocab.TryGetValue(word, out var whole) ? [whole] : MergeWord(bytes);
        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear();
        }

        _cache[word] = ids;
        return ids;
    }

    private int[] MergeWord(ReadOnlySpan<byte> bytes)
    {
        var n = bytes.Length;
        var ids = new int[n];
        var next = new int[n];
        var prev = new int[n];
        for (var i = 0; i < n; i++)
        {
            ids[i] = _byteIds[bytes[i]];
            if (ids[i] < 0)
            {
                throw new InvalidOperationException(
                    $"byte 0x{bytes[i]:X2} has no token in the vocabulary and the model has no unk_token");
            }

            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }

        var queue = new PriorityQueue<int, (int Rank, int Pos)>();
        for (var i = 0; i + 1 < n; i++)
        {
            Enqueue(queue, ids, i, i + 1);
        }

        while (queue.TryDequeue(out var pos, out var priority))
        {
            var right = next[pos];
            // Stale entry: the left symbol was absorbed, or the pair at pos changed since it was queued.
            if (ids[pos] < 0 || right < 0 || !_merges.TryGetValue(Key(ids[pos], ids[right]), out var merge)
                || merge.Rank != priority.Rank)
            {
                continue;
            }

            ids[pos] = merge.NewId;
            ids[right] = -1;
            next[pos] = next[right];
            if (next[pos] >= 0)
            {
                prev[next[pos]] = pos;
                Enqueue(queue, ids, pos, next[pos]);
            }

            if (prev[pos] >= 0)
            {
                Enqueue(queue, ids, prev[pos], pos);
            }
        }

        return ids.Where(id => id >= 0).ToArray();
    }

    private void Enqueue(PriorityQueue<int, (int Rank, int Pos)> queue, int[] ids, int left, int right)
    {
        if (_merges.TryGetValue(Key(ids[left], ids[right]), out var merge))
        {
            queue.Enqueue(left, (merge.Rank, left));
        }
    }
}
