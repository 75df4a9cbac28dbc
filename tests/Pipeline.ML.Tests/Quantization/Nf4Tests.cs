using Pipeline.ML.Quantization;

namespace Pipeline.ML.Tests.Quantization;

public class Nf4Tests
{
    [Fact]
    public void Levels_AreBitsandbytesNf4Table()
    {
        // bitsandbytes csrc/kernels.cu (NF4 dequantization), as float32.
        float[] expected =
        [
            -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
            -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
            0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
            0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
        ];
        Assert.Equal(expected, Nf4.Levels);
        Assert.Equal(0f, Nf4.Levels[Nf4.ZeroCode]);
    }

    [Fact]
    public void Encode_EveryLevel_ReturnsItsOwnCode()
    {
        for (var code = 0; code < 16; code++)
        {
            Assert.Equal(code, Nf4.Encode(Nf4.Levels[code]));
        }
    }

    [Fact]
    public void Encode_AnyValueInRange_PicksTheNearestLevel()
    {
        for (var v = -1f; v <= 1f; v += 1e-3f)
        {
            var nearest = Enumerable.Range(0, 16).MinBy(c => Math.Abs(Nf4.Levels[c] - v));
            var got = Nf4.Encode(v);
            Assert.True(Math.Abs(Nf4.Levels[got] - v) <= Math.Abs(Nf4.Levels[nearest] - v), $"v={v}: code {got}, nearest {nearest}");
        }
    }

    [Fact]
    public void MaxRoundingError_IsHalfTheGapBelowMinusOneSecondLevel()
    {
        Assert.Equal((1f - 0.6961928009986877f) / 2, Nf4.MaxRoundingError, 1e-7f);
    }
}
