namespace Pipeline.ML.Kernels;

/// <summary>
/// A register-tile GEMM micro-kernel: C[0..MR, 0..NR] (=|+=) Σ_p A[:, p] ⊗ B[p, :] over kc steps, reading the
/// packed panels <see cref="GemmPacking"/> writes. Static abstract members, so the blocked driver
/// <see cref="PackedGemm{TKernel}"/> is compiled once per kernel with MR and NR as constants.
/// </summary>
internal unsafe interface IMicroKernel
{
    /// <summary>Rows of the C tile (the broadcast dimension).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the C tile (the vector dimension).</summary>
    static abstract int NR { get; }

    /// <summary>Whether the loops around the kernel (packing: <see cref="GemmPacking512"/>, edge tiles) use
    /// AVX-512; those of the narrower kernels are portable, so forcing them in tests covers the portable loops.</summary>
    static abstract bool UsesAvx512 { get; }

    /// <param name="kc">Steps along K.</param>
    /// <param name="a">Packed A panel: (kc, MR), MR consecutive values per step.</param>
    /// <param name="b">Packed B panel: (kc, NR), NR consecutive values per step.</param>
    /// <param name="c">Top-left of the (MR, NR) C tile, row stride <paramref name="ldc"/>.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, bool accumulate);
}
