using System.Numerics;
using Pipeline.ML.Kernels;

namespace Pipeline.ML.Ops;

/// <summary>
/// A bias-free linear layer in HF/PyTorch nn.Linear layout: weight is (Out, In) and y = x · weightᵀ,
/// so checkpoint tensors are used as stored.
/// </summary>
public static class Linear
{
    private const string Op = "Linear";

    // x: (N, In); weight: (Out, In); y: (N, Out), overwritten
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> y, int n, int inFeatures, int outFeatures)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(x.Length, weight.Length, n, inFeatures, outFeatures);
        OpArgs.Length(Op, "y", y.Length, (long)n * outFeatures, $"(N, Out) = ({n}, {outFeatures})");
        Gemm.Multiply(false, true, n, outFeatures, inFeatures, x, inFeatures, weight, inFeatures, y, outFeatures, accumulate: false);
    }

    /// <summary>
    /// dx += dy · weight (the input gradient) and dweight += dyᵀ · x (the weight gradient). Either may be empty:
    /// a frozen weight needs no dweight, the first layer no dx.
    /// </summary>
    // dy: (N, Out); x, dx: (N, In); weight, dweight: (Out, In)
    public static void Backward<T>(
        ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> dx, Span<T> dweight, int n, int inFeatures, int outFeatures)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(x.Length, weight.Length, n, inFeatures, outFeatures);
        OpArgs.Length(Op, "dy", dy.Length, (long)n * outFeatures, $"(N, Out) = ({n}, {outFeatures})");
        if (OpArgs.Optional(Op, "dx", dx.Length, (long)n * inFeatures, $"(N, In) = ({n}, {inFeatures})"))
        {
            Gemm.Multiply(false, false, n, inFeatures, outFeatures, dy, outFeatures, weight, inFeatures, dx, inFeatures, accumulate: true);
        }
        if (OpArgs.Optional(Op, "dweight", dweight.Length, (long)outFeatures * inFeatures, $"(Out, In) = ({outFeatures}, {inFeatures})"))
        {
            Gemm.Multiply(true, false, outFeatures, inFeatures, n, dy, outFeatures, x, inFeatures, dweight, inFeatures, accumulate: true);
        }
    }

    private static void CheckShapes(int xLength, int weightLength, int n, int inFeatures, int outFeatures)
    {
        OpArgs.NonNegative(Op, "n", n);
        OpArgs.NonNegative(Op, "inFeatures", inFeatures);
        OpArgs.NonNegative(Op, "outFeatures", outFeatures);
        OpArgs.Length(Op, "x", xLength, (long)n * inFeatures, $"(N, In) = ({n}, {inFeatures})");
        OpArgs.Length(Op, "weight", weightLength, (long)outFeatures * inFeatures, $"(Out, In) = ({outFeatures}, {inFeatures})");
    }
}
