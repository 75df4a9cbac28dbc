namespace Pipeline.ML.Quantization;

/// <summary>
/// 4-bit NormalFloat (Dettmers et al. 2023, QLoRA, https://arxiv.org/abs/2305.14314 §3): 16 levels placed at
/// quantiles of N(0, 1), rescaled to [−1, 1], asymmetric so that 0 is exact (7 negative levels, 8 positive).
/// A block of values is stored as a code per value and the block's absmax: value ≈ Levels[code]·absmax.
/// The levels are bitsandbytes' float32 table (csrc/kernels.cu, NF4 dequantization), so a code means the same here.
/// </summary>
public static class Nf4
{
    // Declared first: the static fields below are computed from it, in declaration order.
    internal static readonly float[] Table =
    [
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    ];

    /// <summary>The 16 NF4 levels, ascending; code 7 is 0.</summary>
    public static IReadOnlyList<float> Levels => Table;

    /// <summary>The code whose level is exactly 0 (padding and all-zero blocks).</summary>
    public const int ZeroCode = 7;

    /// <summary>Half the widest gap between adjacent levels, (−0.6961928 − (−1))/2: nearest-level rounding of a
    /// value normalised to [−1, 1] is never off by more than this (times the block's absmax).</summary>
    public static float MaxRoundingError { get; } = MaxHalfGap();

    // Decision boundaries between adjacent levels (bitsandbytes' dQuantizeNF4 tree compares against the same midpoints).
    private static readonly float[] Midpoints = Enumerable.Range(0, 15).Select(i => (Table[i] + Table[i + 1]) / 2).ToArray();

    /// <summary>The code of the level nearest to <paramref name="normalized"/> (a value divided by its block's absmax,
    /// so in [−1, 1]); a value exactly on a midpoint takes the upper level.</summary>
    public static int Encode(float normalized)
    {
        var code = 0;
        while (code < Midpoints.Length && normalized >= Midpoints[code])
        {
            code++;
        }
        return code;
    }

    private static float MaxHalfGap()
    {
        var gap = 0f;
        for (var i = 0; i + 1 < Table.Length; i++)
        {
            gap = Math.Max(gap, Table[i + 1] - Table[i]);
        }
        return gap / 2;
    }
}
