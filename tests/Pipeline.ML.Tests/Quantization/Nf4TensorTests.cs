using Pipeline.ML.Quantization;

namespace Pipeline.ML.Tests.Quantization;

public class Nf4TensorTests
{
    internal static float[] Gaussian(int count, int seed, double std = 0.02)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => (float)(std * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())))
            .ToArray();
    }

    /// <summary>
    /// The format's bound per value x in block b with true absmax c_b and stored absmax ĉ_b:
    /// |x̂ − x| = |L(q)·ĉ_b − x| ≤ |L(q)|·|ĉ_b − c_b| + |L(q)·c_b − x| ≤ |ĉ_b − c_b| + c_b·MaxRoundingError,
    /// where MaxRoundingError is half the widest gap between adjacent NF4 levels (0.1519) and |ĉ_b − c_b| is the
    /// double quantization's error, at most half its 8-bit step (0 without double quantization); plus float rounding.
    /// </summary>
    private static void AssertWithinBound(float[] values, Nf4Tensor q)
    {
        var back = q.Dequantize().Span.ToArray();
        var worst = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            var block = i / q.BlockSize;
            var start = block * q.BlockSize;
            var c = values.Skip(start).Take(Math.Min(q.BlockSize, values.Length - start)).Max(Math.Abs);
            var scaleError = q.Scales?.ErrorBound(block) ?? 0f;
            var bound = c * Nf4.MaxRoundingError + scaleError + 1e-6f * c;
            var error = Math.Abs(back[i] - values[i]);
            Assert.True(error <= bound, $"value {i}: {values[i]} came back {back[i]}, error {error} > bound {bound}");
            worst = Math.Max(worst, error / bound);
        }
        Assert.True(worst > 0.5, $"the bound is loose: worst error/bound {worst}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dequantize_GaussianWeights_EveryValueWithinFormatBound(bool doubleQuant)
    {
        var values = Gaussian(64 * 600, seed: 1);
        var q = Nf4Tensor.Quantize(values, [600, 64], new Nf4Options { DoubleQuant = doubleQuant });
        AssertWithinBound(values, q);
    }

    [Fact]
    public void Dequantize_SizeNotMultipleOfBlock_LastBlockUsesItsOwnAbsmax()
    {
        var values = Gaussian(64 * 3 + 37, seed: 2);
        values[^1] = 0.5f;   // the short last block's absmax is its own, not a neighbour's
        var q = Nf4Tensor.Quantize(values, [values.Length]);

        Assert.Equal(4, q.Blocks);
        Assert.Equal((values.Length + 1) / 2, q.Packed.Length);
        Assert.Equal(Nf4.ZeroCode, q.Code(values.Length));   // the unused low nibble of the last byte
        Assert.Equal(0.5f, q.Dequantize().Span[^1], 1e-3f);
        AssertWithinBound(values, q);
    }

    [Fact]
    public void Quantize_TwoValues_FirstInHighNibble()
    {
        // 1.0 is level 15, −1.0 level 0, 0 level 7.
        var q = Nf4Tensor.Quantize([1f, -1f, 0f], [3], new Nf4Options { DoubleQuant = false });
        Assert.Equal([0xF0, 0x77], q.Packed);
        Assert.Equal([15, 0, 7], [q.Code(0), q.Code(1), q.Code(2)]);
        Assert.Equal([1f, -1f, 0f], q.Dequantize().Span.ToArray());
    }

    [Fact]
    public void Quantize_AllZeroBlock_DequantizesToZeros()
    {
        var values = new float[128];
        values[100] = 3f;
        var back = Nf4Tensor.Quantize(values, [128]).Dequantize().Span.ToArray();
        Assert.All(back.Take(64), v => Assert.Equal(0f, v));
        Assert.Equal(3f, back[100], 1e-4f);
    }

    [Theory]
    [InlineData(0, 4096)]
    [InlineData(1, 1000)]
    [InlineData(63, 65)]
    [InlineData(4095, 1)]
    [InlineData(777, 40000)]
    public void DequantizeRange_AnyStartAndLength_MatchesTheWholeTensor(int start, int count)
    {
        var values = Gaussian(64 * 700 + 9, seed: 3);
        var q = Nf4Tensor.Quantize(values, [values.Length]);
        var whole = q.Dequantize().Span.ToArray();
        var part = new float[count];
        q.Dequantize(start, part);
        Assert.Equal(whole.AsSpan(start, count).ToArray(), part);
    }

    [Fact]
    public void Dequantize_EveryValue_IsItsLevelTimesItsBlockAbsmax()
    {
        var values = Gaussian(64 * 300 + 11, seed: 6);
        var q = Nf4Tensor.Quantize(values, [values.Length]);
        var back = q.Dequantize().Span;
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(Nf4.Levels[q.Code(i)] * q.BlockAbsmax(i / 64), back[i]);
        }
    }

    [Fact]
    public void BitsPerParameter_DoubleQuantAtQloraSizes_IsAbout4Point127()
    {
        var q = Nf4Tensor.Quantize(Gaussian(1024 * 1024, seed: 4), [1024, 1024]);
        // 4 bits of code + 8/64 of int8 absmax + 32/(64·256) of step per 256 blocks + the mean's 32 bits over 2^20.
        Assert.Equal(4 + 8.0 / 64 + 32.0 / (64 * 256) + 32.0 / (1024 * 1024), q.BitsPerParameter, 1e-9);
        Assert.InRange(q.BitsPerParameter, 4.1, 4.2);
        var plain = Nf4Tensor.Quantize(Gaussian(4096, seed: 4), [64, 64], new Nf4Options { DoubleQuant = false });
        Assert.Equal(4.5, plain.BitsPerParameter, 1e-9);
    }

    [Fact]
    public void Quantize_NonFiniteValue_ThrowsNamingIt()
    {
        var values = new float[70];
        values[66] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => Nf4Tensor.Quantize(values, [70]));
        Assert.Contains("value 66", e.Message);
    }

    [Fact]
    public void QuantizedScales_EveryConstant_WithinHalfAStep()
    {
        var constants = Gaussian(1000, seed: 5).Select(x => 0.05f + Math.Abs(x)).ToArray();
        var s = QuantizedScales.Quantize(constants, 256);
        Assert.Equal(4, s.Steps.Length);
        for (var i = 0; i < constants.Length; i++)
        {
            Assert.True(Math.Abs(s[i] - constants[i]) <= s.ErrorBound(i) * 1.0001f + 1e-7f, $"constant {i}");
        }
    }
}
