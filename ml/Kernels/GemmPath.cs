namespace Pipeline.ML.Kernels;

/// <summary>Which loops compute a float32 gemm: chosen from the shape and kernel alone, never from the thread
/// count, so the summation order (and the result) is the same however C is split.</summary>
internal enum GemmPath
{
    /// <summary>Packed panels and the register-tile micro-kernel (<see cref="PackedGemm{TKernel}"/>).</summary>
    Packed,

    /// <summary>Skinny shapes, unpacked, 256-bit vectors (<see cref="DirectGemm"/>).</summary>
    DirectVector,

    /// <summary>Skinny shapes, unpacked, scalar: what the scalar kernel's runs use.</summary>
    DirectScalar,
}
