using System.Numerics;

namespace Pipeline.ML.Ops;

/// <summary>
/// Cos/sin table for HF LLaMA rotary embeddings (default rope_type, no scaling). Every step is computed in float32
/// exactly as HF transformers' <c>LlamaRotaryEmbedding</c> does — inv_freq[i] = 1 / theta^(2i / D), angle =
/// float(pos) · inv_freq[i] as a float32 product, then cos/sin in float32 — so the float path reproduces PyTorch's
/// table (up to the last-ulp differences of the two libm's pow/cos/sin). The double path gets the same float32
/// values widened, which keeps one table semantics for training and for finite-difference checks.
/// </summary>
public sealed class RopeTable<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _cos;
    private readonly T[] _sin;

    public RopeTable(int maxPositions, int headDim, double theta)
    {
        if (maxPositions <= 0)
        {
            throw new ArgumentException($"RopeTable: maxPositions must be positive, got {maxPositions}", nameof(maxPositions));
        }
        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw new ArgumentException($"RopeTable: headDim must be positive and even, got {headDim}", nameof(headDim));
        }
        if (!double.IsFinite(theta) || theta <= 0)
        {
            throw new ArgumentException($"RopeTable: theta must be finite and positive, got {theta}", nameof(theta));
        }
        var half = headDim / 2;
        if ((long)maxPositions * half > Array.MaxLength)
        {
            throw new ArgumentException(
                $"RopeTable: maxPositions × headDim / 2 = {(long)maxPositions * half} exceeds the largest array", nameof(maxPositions));
        }
        MaxPositions = maxPositions;
        HeadDim = headDim;
        _cos = new T[maxPositions * half];
        _sin = new T[_cos.Length];

        // HF: inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim)) — the exponent is a float32
        // division, base is rounded to float32 by the pow kernel, and 1.0 / t is a float32 reciprocal.
        var baseF = (float)theta;
        Span<float> invFreq = half <= 1024 ? stackalloc float[half] : new float[half];
        for (var i = 0; i < half; i++)
        {
            var exponent = (float)(2 * i) / (float)headDim;
            invFreq[i] = 1f / MathF.Pow(baseF, exponent);
        }
        for (var pos = 0; pos < maxPositions; pos++)
        {
            var p = (float)pos;
            var row = pos * half;
            for (var i = 0; i < half; i++)
            {
                // freqs = inv_freq @ position_ids: a matmul with K = 1, i.e. one float32 product.
                var angle = p * invFreq[i];
                _cos[row + i] = T.CreateChecked(MathF.Cos(angle));
                _sin[row + i] = T.CreateChecked(MathF.Sin(angle));
            }
        }
    }

    public int MaxPositions { get; }

    public int HeadDim { get; }

    /// <summary>cos(angle): (MaxPositions, HeadDim / 2).</summary>
    public ReadOnlySpan<T> Cos => _cos;

    /// <summary>sin(angle): (MaxPositions, HeadDim / 2).</summary>
    public ReadOnlySpan<T> Sin => _sin;
}
