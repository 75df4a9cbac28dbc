namespace Pipeline.ML.Kernels;

/// <summary>
/// A register-tile GEMM micro-kernel: C[0..MR, 0..NR] (=|+=) Σ_p A[:, p] ⊗ B[p, :] over kc steps, reading the
/// panels <see cref="GemmPacking"/> writes — or, where a matrix is already stored that way, the matrix itself
/// (the MR or NR values of a k step adjacent, consecutive steps a row stride apart). Static abstract members, so the blocked driver
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
    /// <param name="a">A panel: (kc, MR), MR adjacent values per step, steps <paramref name="aStep"/> apart.</param>
    /// <param name="aStep">MR when packed; the row stride when read in place.</param>
    /// <param name="b">B panel: (kc, NR), NR adjacent values per step, steps <paramref name="bStep"/> apart.</param>
    /// <param name="bStep">NR when packed; the row stride when read in place.</param>
    /// <param name="c">Top-left of the (MR, NR) C tile, row stride <paramref name="ldc"/>.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    static abstract void Run(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, bool accumulate);
}
