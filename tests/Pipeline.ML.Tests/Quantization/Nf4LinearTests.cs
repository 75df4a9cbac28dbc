using Pipeline.ML.Compute;
using Pipeline.ML.Quantization;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Tests.Quantization;

public class Nf4LinearTests
{
    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(1e-6f, expected.Max(Math.Abs));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    // In = 300 puts block boundaries mid-row; Out = 1000 needs two panels (864 + 136 rows); n ≤ 4 takes the skinny gemm.
    [Theory]
    [InlineData(1000, 300, 37)]
    [InlineData(1000, 300, 3)]
    [InlineData(48, 40, 5)]
    [InlineData(3, 1 << 19, 2)]
    public void ForwardAndBackward_EqualFloatLinearOnDequantizedWeight(int outF, int inF, int n)
    {
        var ops = CpuTensorOps.Instance;
        var weight = Nf4Tensor.Quantize(Nf4TensorTests.Gaussian(outF * inF, seed: 7), [outF, inF]);
        var dense = weight.Dequantize();
        var x = new Tensor(Nf4TensorTests.Gaussian(n * inF, seed: 8, std: 1), n, inF);
        var dy = new Tensor(Nf4TensorTests.Gaussian(n * outF, seed: 9, std: 1), n, outF);

        var (y, yRef) = (new Tensor(n, outF), new Tensor(n, outF));
        ops.LinearNf4(x, weight, y);
        ops.Linear(x, dense, yRef);
        AssertClose(yRef.Span.ToArray(), y.Span.ToArray(), 1e-5f);

        var dxStart = Nf4TensorTests.Gaussian(n * inF, seed: 10);
        var (dx, dxRef) = (new Tensor((float[])dxStart.Clone(), n, inF), new Tensor((float[])dxStart.Clone(), n, inF));
        ops.LinearNf4Backward(dy, weight, dx);
        ops.LinearBackward(dy, x, dense, dxRef, null);
        AssertClose(dxRef.Span.ToArray(), dx.Span.ToArray(), 1e-5f);
    }

    [Fact]
    public void PanelRows_BoundsTheScratchToOnePanel()
    {
        Assert.Equal(864, Nf4Linear.PanelRows(1000, 300));
        Assert.Equal(17, Nf4Linear.PanelRows(17, 300));
        Assert.Equal(1, Nf4Linear.PanelRows(5, Nf4Linear.PanelValues * 2));
        Assert.True(Nf4Linear.PanelRows(4096, 4096) * 4096 <= Nf4Linear.PanelValues);
    }

    [Fact]
    public void Forward_MismatchedInput_ThrowsWithShapes()
    {
        var weight = Nf4Tensor.Quantize(new float[64], [8, 8]);
        var e = Assert.Throws<ArgumentException>(() => CpuTensorOps.Instance.LinearNf4(new Tensor(2, 8), weight, new Tensor(2, 9)));
        Assert.Contains("(N, Out) = (2, 8)", e.Message);
    }
}
