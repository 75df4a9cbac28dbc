namespace Pipeline.ML.Data;

/// <summary>Steele, Lea and Flood's SplitMix64 (OOPSLA 2014; the constants of Vigna's reference C code): a tiny
/// seeded generator whose sequence is fixed by this code, not by a runtime. System.Random's algorithm has changed
/// between .NET versions, which would silently change every data split and shuffle.</summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound), without modulo bias: draws that fall in the incomplete last block of size
    /// bound are rejected (at most half of them, for any bound).</summary>
    public ulong NextBelow(ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        var threshold = (0UL - bound) % bound; // 2^64 mod bound: the draws below it are the incomplete block
        while (true)
        {
            var draw = NextUInt64();
            if (draw >= threshold)
            {
                return draw % bound;
            }
        }
    }
}
