using Pipeline.ML.Kernels;

namespace Pipeline.ML.Quantization;

/// <summary>
/// y = x·Wᵀ and dx += dy·W for an NF4 weight W (Out, In), never holding W in float32: a panel of output rows is
/// dequantized into a scratch buffer of at most <see cref="PanelValues"/> floats and multiplied by the packed float32
/// <see cref="Gemm"/>, then the next panel overwrites it. The scratch is one buffer per calling thread, shared by every
/// layer (a model runs its projections one after another), so QLoRA's extra memory is 1 MiB, not a float32 copy of
/// the base. Dequantizing costs Out·In per call against the product's N·Out·In, a few per cent at training sizes.
/// There is no weight gradient: the quantized base is frozen (QLoRA trains adapters only).
/// </summary>
public static class Nf4Linear
{
    /// <summary>Float32 values in the per-thread dequantization panel (1 MiB).</summary>
    public const int PanelValues = 1 << 18;

    [ThreadStatic]
    private static float[]? _panel;

    /// <summary>Bytes of dequantization scratch the calling thread holds (0 before its first NF4 product).</summary>
    public static long ScratchBytes => 4L * (_panel?.Length ?? 0);

    /// <summary>Output rows per panel: as many as fit <see cref="PanelValues"/>, a multiple of 32 (the widest
    /// micro-kernel's column tile) where that leaves at least one tile, and at least one row.</summary>
    public static int PanelRows(int outFeatures, int inFeatures)
    {
        var rows = Math.Max(1, PanelValues / Math.Max(1, inFeatures));
        if (rows >= 32)
        {
            rows -= rows % 32;
        }
        return Math.Min(rows, Math.Max(1, outFeatures));
    }

    // x: (N, In); weight: NF4 (Out, In); y: (N, Out), overwritten
    public static void Forward(ReadOnlySpan<float> x, Nf4Tensor weight, Span<float> y, int n)
    {
        var (outF, inF) = Check(weight, x.Length, n, "x");
        if (y.Length != (long)n * outF)
        {
            throw new ArgumentException($"nf4 linear: y has {y.Length} elements, expected (N, Out) = ({n}, {outF})");
        }
        if (n == 0)
        {
            return;
        }
        var panelRows = PanelRows(outF, inF);
        for (var r0 = 0; r0 < outF; r0 += panelRows)
        {
            var rows = Math.Min(panelRows, outF - r0);
            var panel = Panel(rows * inF);
            weight.Dequantize(r0 * inF, panel);
            // y[:, r0:r0+rows] = x · panelᵀ, written in place through y's row stride Out.
            Gemm.Multiply<float>(false, true, n, rows, inF, x, inF, panel, inF, y[r0..], outF, accumulate: false);
        }
    }

    // dy: (N, Out); weight: NF4 (Out, In); dx: (N, In), accumulated
    public static void BackwardInput(ReadOnlySpan<float> dy, Nf4Tensor weight, Span<float> dx, int n)
    {
        var (outF, inF) = Check(weight, dx.Length, n, "dx");
        if (dy.Length != (long)n * outF)
        {
            throw new ArgumentException($"nf4 linear: dy has {dy.Length} elements, expected (N, Out) = ({n}, {outF})");
        }
        if (n == 0)
        {
            return;
        }
        var panelRows = PanelRows(outF, inF);
        for (var r0 = 0; r0 < outF; r0 += panelRows)
        {
            var rows = Math.Min(panelRows, outF - r0);
            var panel = Panel(rows * inF);
            weight.Dequantize(r0 * inF, panel);
            // dx += dy[:, r0:r0+rows] · panel: the sum over Out taken one panel at a time.
            Gemm.Multiply<float>(false, false, n, inF, rows, dy[r0..], outF, panel, inF, dx, inF, accumulate: true);
        }
    }

    private static (int Out, int In) Check(Nf4Tensor weight, int inputLength, int n, string name)
    {
        if (weight.Shape.Length != 2)
        {
            throw new ArgumentException($"nf4 linear: weight must be (Out, In), got {weight.ShapeText}");
        }
        var (outF, inF) = (weight.Dim(0), weight.Dim(1));
        if (n < 0 || inputLength != (long)n * inF)
        {
            throw new ArgumentException($"nf4 linear: {name} has {inputLength} elements, expected (N, In) = ({n}, {inF})");
        }
        return (outF, inF);
    }

    private static Span<float> Panel(int values)
    {
        var panel = _panel ??= new float[PanelValues];
        if (panel.Length < values)
        {
            // Only a single row wider than the panel gets here (In > PanelValues).
            panel = _panel = new float[values];
        }
        return panel.AsSpan(0, values);
    }
}
