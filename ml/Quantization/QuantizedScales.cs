namespace Pipeline.ML.Quantization;

/// <summary>
/// QLoRA's double quantization of the per-block absmax constants c₀…c_{B−1} (§3, "Double Quantization"): their mean
/// is subtracted (they are all positive, so centring them uses the signed range), then each block of
/// <see cref="BlockSize"/> is stored as int8 codes with a float32 step: c ≈ Mean + Codes[b]·Steps[b / BlockSize].
/// bitsandbytes stores these codes in its dynamic (non-linear) 8-bit map; we use a linear symmetric map,
/// step = max|c − Mean| / 127 over the block, which bounds every reconstructed constant by
/// |ĉ − c| ≤ step/2 — the absmax constants of one tensor lie close together, so a linear grid loses little.
/// </summary>
public sealed class QuantizedScales
{
    private QuantizedScales(sbyte[] codes, float[] steps, float mean, int blockSize)
    {
        Codes = codes;
        Steps = steps;
        Mean = mean;
        BlockSize = blockSize;
    }

    /// <summary>One int8 code per absmax constant.</summary>
    public sbyte[] Codes { get; }

    /// <summary>One float32 step per block of <see cref="BlockSize"/> codes.</summary>
    public float[] Steps { get; }

    /// <summary>The mean of the constants, subtracted before quantizing.</summary>
    public float Mean { get; }

    public int BlockSize { get; }

    public int Count => Codes.Length;

    public long StorageBytes => Codes.Length + 4L * Steps.Length + 4;

    /// <summary>The reconstructed constant ĉ_i.</summary>
    public float this[int i] => Mean + Codes[i] * Steps[i / BlockSize];

    /// <summary>The bound on |ĉ_i − c_i| for constant i: half a step (plus float rounding).</summary>
    public float ErrorBound(int i) => Steps[i / BlockSize] / 2;

    public static QuantizedScales Quantize(ReadOnlySpan<float> constants, int blockSize)
    {
        double sum = 0;
        foreach (var c in constants)
        {
            sum += c;
        }
        var mean = constants.Length == 0 ? 0f : (float)(sum / constants.Length);
        var codes = new sbyte[constants.Length];
        var steps = new float[(constants.Length + blockSize - 1) / blockSize];
        for (var b = 0; b < steps.Length; b++)
        {
            var block = constants.Slice(b * blockSize, Math.Min(blockSize, constants.Length - b * blockSize));
            var spread = 0f;
            foreach (var c in block)
            {
                spread = Math.Max(spread, Math.Abs(c - mean));
            }
            var step = steps[b] = spread / 127f;
            for (var i = 0; i < block.Length; i++)
            {
                var q = step == 0 ? 0 : Math.Round((block[i] - mean) / step);
                codes[b * blockSize + i] = (sbyte)Math.Clamp(q, -127, 127);
            }
        }
        return new QuantizedScales(codes, steps, mean, blockSize);
    }
}
