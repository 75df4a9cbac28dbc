using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

public class AttentionTests
{
    [Theory]
    [InlineData("causal")]
    [InlineData("gqa 4:2")]
    [InlineData("gqa 3:1")]
    [InlineData("three documents")]
    [InlineData("continued document")]
    [InlineData("vector widths")]
    public void Forward_Double_MatchesNaiveReference(string name)
    {
        var c = AttentionGradientTests.Case(name);
        var inputs = c.RandomInputs(seed: 21, scale: 2.0);
        var (output, probs) = c.Forward(inputs["q"], inputs["k"], inputs["v"]);
        var (expectedOutput, expectedProbs) = c.Reference(inputs);
        for (var i = 0; i < output.Length; i++)
        {
            Assert.Equal(expectedOutput[i], output[i], 1e-13);
        }
        for (var i = 0; i < probs.Length; i++)
        {
            // Masked entries must be exactly 0, not merely tiny.
            if (expectedProbs[i] == 0)
            {
                Assert.Equal(0.0, probs[i]);
            }
            Assert.Equal(expectedProbs[i], probs[i], 1e-14);
        }
    }

    [Fact]
    public void Forward_Packed_DocumentMatchesItselfAlone()
    {
        // Document A (4 tokens) then document B (5 tokens) in one sequence, vs B alone; H = 4 over Hkv = 2, D = 64.
        const int H = 4, Hkv = 2, D = 64, LenA = 4, LenB = 5;
        var packed = AttentionCase.Packed([[0, 1, 2, 3, 0, 1, 2, 3, 4]], H, Hkv, D);
        var alone = AttentionCase.Causal(1, LenB, H, Hkv, D);
        var inputs = packed.RandomInputs(seed: 31);
        float[] F(string name) => inputs[name].Select(x => (float)x).ToArray();
        var (q, k, v) = (F("q"), F("k"), F("v"));
        var dout = GradCheck.Random(packed.QLength, seed: 32).Select(x => (float)x).ToArray();
        float[] TailOf(float[] a, int heads) => a[(LenA * heads * D)..];
        float[] HeadOf(float[] a, int heads) => a[..(LenA * heads * D)];

        var (packedOut, _) = packed.Forward(q, k, v);
        var (aloneOut, _) = alone.Forward(TailOf(q, H), TailOf(k, Hkv), TailOf(v, Hkv));
        Assert.Equal(aloneOut, TailOf(packedOut, H));

        var (dq, dk, dv) = (new float[q.Length], new float[k.Length], new float[v.Length]);
        packed.Backward(dout, q, k, v, dq, dk, dv);
        var (dqB, dkB, dvB) = (new float[LenB * H * D], new float[LenB * Hkv * D], new float[LenB * Hkv * D]);
        alone.Backward(TailOf(dout, H), TailOf(q, H), TailOf(k, Hkv), TailOf(v, Hkv), dqB, dkB, dvB);
        Assert.Equal(dqB, TailOf(dq, H));
        Assert.Equal(dkB, TailOf(dk, Hkv));
        Assert.Equal(dvB, TailOf(dv, Hkv));

        // Nothing of B reaches A's gradients either: they equal A's alone.
        var first = AttentionCase.Causal(1, LenA, H, Hkv, D);
        var (dqA, dkA, dvA) = (new float[LenA * H * D], new float[LenA * Hkv * D], new float[LenA * Hkv * D]);
        first.Backward(HeadOf(dout, H), HeadOf(q, H), HeadOf(k, Hkv), HeadOf(v, Hkv), dqA, dkA, dvA);
        Assert.Equal(dqA, HeadOf(dq, H));
        Assert.Equal(dkA, HeadOf(dk, Hkv));
        Assert.Equal(dvA, HeadOf(dv, Hkv));
    }

    [Fact]
    public void FloatAndDouble_LargerShapeAcrossVectorWidths_AgreeTo1e5()
    {
        // D = 64 and T = 37: full 512-bit vectors, bands of every length 1..37, two documents in one sequence.
        var positions = Enumerable.Range(0, 37).Select(t => t < 20 ? t : t - 20).ToArray();
        var c = AttentionCase.Packed([Enumerable.Range(0, 37).ToArray(), positions], heads: 6, kvHeads: 2, headDim: 64);
        var inputs = c.RandomInputs(seed: 41, scale: 2.0);
        var dout = GradCheck.Random(c.QLength, seed: 42);
        float[] F(double[] a) => a.Select(x => (float)x).ToArray();

        var (outD, _) = c.Forward(inputs["q"], inputs["k"], inputs["v"]);
        var (outF, _) = c.Forward(F(inputs["q"]), F(inputs["k"]), F(inputs["v"]));
        AssertClose(outD, outF, "output");

        var (dqD, dkD, dvD) = (new double[c.QLength], new double[c.KvLength], new double[c.KvLength]);
        c.Backward(dout, inputs["q"], inputs["k"], inputs["v"], dqD, dkD, dvD);
        var (dqF, dkF, dvF) = (new float[c.QLength], new float[c.KvLength], new float[c.KvLength]);
        c.Backward(F(dout), F(inputs["q"]), F(inputs["k"]), F(inputs["v"]), dqF, dkF, dvF);
        AssertClose(dqD, dqF, "dq");
        AssertClose(dkD, dkF, "dk");
        AssertClose(dvD, dvF, "dv");

        static void AssertClose(double[] expected, float[] actual, string name)
        {
            // Relative to the tensor's scale: float32 rounding of inputs alone is ~6e-8 relative.
            var scale = expected.Max(Math.Abs);
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / scale;
            Assert.True(worst < 1e-5, $"{name}: float vs double max error {worst:E2} of max |{name}| {scale:G4}");
        }
    }

    [Fact]
    public void DocStartsFromPositions_PackedRows_StartAtLastZero()
    {
        int[] positions = [0, 1, 2, 0, 1, 0, /* second sequence opens mid-document */ 4, 5, 0, 1, 2, 0];
        var docStart = new int[positions.Length];
        Attention.DocStartsFromPositions(positions, docStart, batch: 2, seqLen: 6);
        Assert.Equal([0, 0, 0, 3, 3, 5, 0, 0, 2, 2, 2, 5], docStart);
    }
}
