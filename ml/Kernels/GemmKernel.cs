namespace Pipeline.ML.Kernels;

/// <summary>The float32 micro-kernel <see cref="Gemm"/> runs: chosen once from what the CPU supports.</summary>
public enum GemmKernel
{
    /// <summary>Portable 4×4 tile, no SIMD.</summary>
    Scalar,

    /// <summary>AVX2 + FMA: 6×16 tile in 12 ymm registers.</summary>
    Vector256,

    /// <summary>AVX-512: 8×32 tile in 16 zmm registers.</summary>
    Vector512,
}
