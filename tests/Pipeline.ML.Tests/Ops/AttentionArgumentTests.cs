using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

public class AttentionArgumentTests
{
    // B = 2, T = 3, H = 4, Hkv = 2, D = 5
    private const int B = 2, T = 3, H = 4, Hkv = 2, D = 5;
    private const int QLen = B * T * H * D, KvLen = B * T * Hkv * D, PLen = B * H * T * T;

    [Fact]
    public void Forward_HeadsNotMultipleOfKvHeads_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Attention.Forward<float>(
            new float[B * T * 3 * D], new float[KvLen], new float[KvLen], new float[B * T * 3 * D],
            new float[B * 3 * T * T], new int[B * T], B, T, heads: 3, kvHeads: 2, D));
        Assert.Contains("Attention.Forward", e.Message);
        Assert.Contains("heads (3) must be a multiple of kvHeads (2)", e.Message);
    }

    [Fact]
    public void Forward_NonPositiveDimension_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Attention.Forward<float>(
            [], [], [], [], [], [], B, seqLen: 0, H, Hkv, D));
        Assert.Contains("seqLen=0", e.Message);
    }

    [Theory]
    [InlineData("q")]
    [InlineData("k")]
    [InlineData("v")]
    [InlineData("output")]
    [InlineData("probs")]
    public void Forward_WrongLength_ThrowsNamingArgumentExpectedAndActual(string wrong)
    {
        int Len(string name, int right) => name == wrong ? right + 1 : right;
        var e = Assert.Throws<ArgumentException>(() => Attention.Forward<float>(
            new float[Len("q", QLen)], new float[Len("k", KvLen)], new float[Len("v", KvLen)],
            new float[Len("output", QLen)], new float[Len("probs", PLen)], new int[B * T], B, T, H, Hkv, D));
        var expected = wrong switch { "q" or "output" => QLen, "probs" => PLen, _ => KvLen };
        Assert.Equal(wrong, e.ParamName);
        Assert.Contains("Attention.Forward", e.Message);
        Assert.Contains($"must have length {expected}", e.Message);
        Assert.Contains($"got {expected + 1}", e.Message);
    }

    [Theory]
    [InlineData("dout")]
    [InlineData("dq")]
    [InlineData("dk")]
    [InlineData("dv")]
    public void Backward_WrongLength_ThrowsNamingArgument(string wrong)
    {
        int Len(string name, int right) => name == wrong ? right - 1 : right;
        var e = Assert.Throws<ArgumentException>(() => Attention.Backward<float>(
            new float[Len("dout", QLen)], new float[QLen], new float[KvLen], new float[KvLen], new float[PLen],
            new int[B * T], new float[Len("dq", QLen)], new float[Len("dk", KvLen)], new float[Len("dv", KvLen)],
            B, T, H, Hkv, D));
        Assert.Equal(wrong, e.ParamName);
        Assert.Contains("Attention.Backward", e.Message);
    }

    [Theory]
    [InlineData(4, 2)]  // row 4 is t = 1: a start of 2 is after the token itself
    [InlineData(0, -1)]
    public void Forward_DocStartOutsideZeroToT_Throws(int row, int value)
    {
        var docStart = new int[B * T];
        docStart[row] = value;
        var e = Assert.Throws<ArgumentException>(() => Attention.Forward<float>(
            new float[QLen], new float[KvLen], new float[KvLen], new float[QLen], new float[PLen], docStart,
            B, T, H, Hkv, D));
        Assert.Equal("docStart", e.ParamName);
        Assert.Contains($"docStart[{row}]", e.Message);
        Assert.Contains($"= {value}", e.Message);
    }

    [Fact]
    public void DocStartsFromPositions_WrongLength_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Attention.DocStartsFromPositions(new int[5], new int[6], 2, 3));
        Assert.Equal("positions", e.ParamName);
        Assert.Contains("length batch·seqLen = 6, got 5", e.Message);
    }
}
