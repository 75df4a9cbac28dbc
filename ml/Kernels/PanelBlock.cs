namespace Pipeline.ML.Kernels;

/// <summary>
/// Where the micro-kernel finds the panels of one block of A (MR-row panels) or B (NR-column panels): all packed
/// one after another, or read in place from the matrix (a k step's values already adjacent, steps a row stride
/// apart) with only a ragged last panel packed, since reading it in place would run past the matrix. Only A is
/// ever read in place (<see cref="PackedGemm{TKernel}"/> says when).
/// </summary>
internal readonly unsafe struct PanelBlock(float* inPlace, nint stride, float* packed, int width, int kc, int fullPanels)
{
    /// <summary>Panel <paramref name="q"/>: its first value and the distance between its k steps.</summary>
    public (nint Start, nint Step) Panel(int q) =>
        inPlace == null ? ((nint)(packed + ((nint)q * width * kc)), width)
        : q < fullPanels ? ((nint)(inPlace + ((nint)q * width)), stride)
        : ((nint)packed, width);
}
