using System.Text;
using Pipeline.ML.Data;

namespace Pipeline.Eval.Domain;

/// <summary>
/// The generator's randomness: one <see cref="SplitMix64"/> stream per named purpose, seeded from the dataset seed
/// and the purpose's name (FNV-1a of its UTF-8 bytes), so each file's draw is independent of every other file's and
/// of the order they are written in. Nothing here depends on the process (no HashCode, no System.Random).
/// </summary>
internal sealed class DemoRandom(long seed, string purpose)
{
    private readonly SplitMix64 _rng = new(Mix(unchecked((ulong)seed)) ^ Fnv1a(purpose));

    public int Below(int bound) => (int)_rng.NextBelow((ulong)bound);

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (_rng.NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    /// <summary>A Fisher–Yates shuffled copy.</summary>
    public List<T> Shuffled<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Below(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    private static ulong Mix(ulong x) => new SplitMix64(x).NextUInt64();

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }
        return hash;
    }
}
