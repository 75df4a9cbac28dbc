namespace Pipeline.ML.Compute;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna, https://prng.di.unimi.it/): a small, fast generator whose whole state is four
/// words, so a training checkpoint can save it and a resumed run draws exactly the same numbers.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed)
    {
        // SplitMix64 expands the seed, as the authors recommend, so nearby seeds give unrelated streams.
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    private Rng(ulong[] state) => (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);

    public ulong[] GetState() => [_s0, _s1, _s2, _s3];

    public static Rng FromState(ulong[] state)
    {
        if (state.Length != 4 || (state[0] | state[1] | state[2] | state[3]) == 0)
        {
            throw new ArgumentException("an Rng state is four words, not all zero");
        }
        return new Rng(state);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(n, 0);
        return (int)(NextDouble() * n);
    }

    /// <summary>Standard normal (Box–Muller; one value per call, so the state alone determines the stream).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
