using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

[Collection("CpuParallel")]
public sealed class SwiGluTests
{
    private const int Count = 3 * 5;

    [Fact]
    public void Forward_MatchesNaiveReference()
    {
        const int count = 37; // a vector width and a tail
        var (gate, up) = (GradCheck.Random(count, 1, 4), GradCheck.Random(count, 2));
        var h = Enumerable.Repeat(double.NaN, count).ToArray(); // overwritten

        SwiGlu.Forward<double>(gate, up, h, count);

        var expected = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
        OpAssert.Close(expected, h, 1e-15, "h");
    }

    [Theory]
    [InlineData(Count)]
    [InlineData(37)] // vector loops and a scalar tail
    public void Backward_MatchesFiniteDifferences(int count)
    {
        GradCheck.Check(
            new Dictionary<string, double[]> { ["gate"] = GradCheck.Random(count, 3, 4), ["up"] = GradCheck.Random(count, 4) },
            ["gate", "up"],
            inputs =>
            {
                var h = new double[count];
                SwiGlu.Forward<double>(inputs["gate"], inputs["up"], h, count);
                return h;
            },
            (inputs, dh, grads) => SwiGlu.Backward<double>(dh, inputs["gate"], inputs["up"], grads["gate"], grads["up"], count));
    }

    [Fact]
    public void ExtremeGates_StayFinite()
    {
        // exp(−gate) overflows for gate = −1000: the z / (1 + exp(−z)) form gives −0, not NaN.
        float[] gate = [-1000f, -100f, 100f, 1000f];
        float[] up = [1f, 1f, 1f, 1f];
        var (h, dgate, dup) = (new float[4], new float[4], new float[4]);

        SwiGlu.Forward<float>(gate, up, h, 4);
        SwiGlu.Backward<float>([1f, 1f, 1f, 1f], gate, up, dgate, dup, 4);

        Assert.Equal([0f, 0f, 100f, 1000f], h);
        Assert.Equal([0f, 0f, 1f, 1f], dgate);
        Assert.All(dup, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData("gate", Count - 1, Count, Count)]
    [InlineData("up", Count, Count + 1, Count)]
    [InlineData("h", Count, Count, 0)]
    public void Forward_WrongLength_ThrowsNamingArgument(string argument, int gateLength, int upLength, int hLength)
    {
        var error = Assert.Throws<ArgumentException>(
            () => SwiGlu.Forward<double>(new double[gateLength], new double[upLength], new double[hLength], Count));

        Assert.Contains($"SwiGlu: {argument} has length", error.Message);
    }

    [Theory]
    [InlineData("dh", Count + 1, Count, Count)]
    [InlineData("dgate", Count, 0, Count)]
    [InlineData("dup", Count, Count, Count - 1)]
    public void Backward_WrongLength_ThrowsNamingArgument(string argument, int dhLength, int dgateLength, int dupLength)
    {
        var error = Assert.Throws<ArgumentException>(
            () => SwiGlu.Backward<double>(
                new double[dhLength], new double[Count], new double[Count], new double[dgateLength], new double[dupLength], Count));

        Assert.Contains($"SwiGlu: {argument} has length", error.Message);
    }

    [Fact]
    public void Float_AgreesWithDouble()
    {
        const int count = 70 * 96 + 3;
        var (gate, up, dh) = (OpAssert.FloatExact(count, 5, 6), OpAssert.FloatExact(count, 6), OpAssert.FloatExact(count, 7));
        var (h, dgate, dup) = (new double[count], new double[count], new double[count]);
        var (hF, dgateF, dupF) = (new float[count], new float[count], new float[count]);

        SwiGlu.Forward<double>(gate, up, h, count);
        SwiGlu.Backward<double>(dh, gate, up, dgate, dup, count);
        var (gateF, upF) = (OpAssert.ToFloat(gate), OpAssert.ToFloat(up));
        SwiGlu.Forward<float>(gateF, upF, hF, count);
        SwiGlu.Backward<float>(OpAssert.ToFloat(dh), gateF, upF, dgateF, dupF, count);

        OpAssert.Close(h, hF, 1e-5, "h");
        OpAssert.Close(dgate, dgateF, 1e-5, "dgate");
        OpAssert.Close(dup, dupF, 1e-5, "dup");
    }

    [Fact]
    public void ThreadCount_DoesNotChangeBits()
    {
        const int count = 3 * SwiGlu.ChunkElements + 5;
        var gate = OpAssert.ToFloat(GradCheck.Random(count, 8, 6));
        var up = OpAssert.ToFloat(GradCheck.Random(count, 9));
        var dh = OpAssert.ToFloat(GradCheck.Random(count, 10));

        OpAssert.SameBitsForThreadCounts(() =>
        {
            var (h, dgate, dup) = (new float[count], new float[count], new float[count]);
            SwiGlu.Forward<float>(gate, up, h, count);
            SwiGlu.Backward<float>(dh, gate, up, dgate, dup, count);
            return [h, dgate, dup];
        });
    }
}
