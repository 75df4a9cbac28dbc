using Pipeline.ML.Compute;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Tests.Compute;

public sealed class CpuTensorOpsTests
{
    // Long enough for the vector loops, plus a ragged scalar tail.
    private const int Length = 3 * 4096 + 21;

    [Fact]
    public void ElementwiseOps_VectorLoopsAndTail_MatchScalarArithmetic()
    {
        var ops = CpuTensorOps.Instance;
        var (a, b) = (Random(1), Random(2));
        var y = new Tensor(Length);

        ops.Add(a, b, y);
        Assert.Equal(Expected((x, z) => x + z), y.Span.ToArray());
        ops.Multiply(a, b, y);
        Assert.Equal(Expected((x, z) => x * z), y.Span.ToArray());
        ops.Scale(a, 0.3f, y);
        Assert.Equal(a.Span.ToArray().Select(x => x * 0.3f), y.Span.ToArray());
        ops.Copy(b, y);
        ops.AddScaled(y, a, 0.3f);
        Assert.Equal(Expected((x, z) => MathF.FusedMultiplyAdd(x, 0.3f, z)), y.Span.ToArray());

        float[] Expected(Func<float, float, float> f) => a.Span.ToArray().Zip(b.Span.ToArray(), f).ToArray();
    }

    [Fact]
    public void Scale_InPlace_ScalesEveryElement()
    {
        var x = Random(3);
        var expected = x.Span.ToArray().Select(v => v * -2.5f).ToArray();
        CpuTensorOps.Instance.Scale(x, -2.5f, x);
        Assert.Equal(expected, x.Span.ToArray());
    }

    private static Tensor Random(int seed)
    {
        var rng = new Random(seed);
        return new Tensor(Enumerable.Range(0, Length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), Length);
    }
}
