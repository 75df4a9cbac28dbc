namespace Pipeline.ML.Tests.Ops;

public class AttentionGradientTests
{
    internal static AttentionCase Case(string name) => name switch
    {
        "causal" => AttentionCase.Causal(batch: 2, seqLen: 5, heads: 2, kvHeads: 2, headDim: 3),
        "gqa 4:2" => AttentionCase.Causal(batch: 1, seqLen: 5, heads: 4, kvHeads: 2, headDim: 3),
        "gqa 3:1" => AttentionCase.Causal(batch: 2, seqLen: 4, heads: 3, kvHeads: 1, headDim: 5),
        "two documents" => AttentionCase.Packed([[0, 1, 2, 0, 1, 2, 3]], heads: 2, kvHeads: 1, headDim: 3),
        // The second sequence holds a one-token document.
        "three documents" => AttentionCase.Packed(
            [[0, 1, 0, 1, 2, 0, 1], [0, 1, 2, 3, 0, 0, 1]], heads: 4, kvHeads: 2, headDim: 3),
        // A sequence that opens mid-document (no position 0 yet), then a new one.
        "continued document" => AttentionCase.Packed([[5, 6, 7, 0, 1]], heads: 1, kvHeads: 1, headDim: 2),
        // D = 13 in double: one 512-bit step (8), one 256-bit step (4) and a scalar tail.
        "vector widths" => AttentionCase.Packed([[0, 1, 2, 3, 0, 1]], heads: 2, kvHeads: 1, headDim: 13),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [InlineData("causal")]
    [InlineData("gqa 4:2")]
    [InlineData("gqa 3:1")]
    [InlineData("two documents")]
    [InlineData("three documents")]
    [InlineData("continued document")]
    [InlineData("vector widths")]
    public void Backward_TinyShapes_MatchesFiniteDifferences(string name)
    {
        var c = Case(name);
        GradCheck.Check(
            c.RandomInputs(seed: 11, scale: 1.5),
            ["q", "k", "v"],
            p => c.Forward(p["q"], p["k"], p["v"]).Output,
            (p, dout, grads) => c.Backward(dout, p["q"], p["k"], p["v"], grads["q"], grads["k"], grads["v"]));
    }
}
