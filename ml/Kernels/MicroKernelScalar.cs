namespace Pipeline.ML.Kernels;

/// <summary>Portable micro-kernel (no SIMD): a 4×4 tile, for hardware without AVX2 and as the baseline the vector
/// kernels are tested against. Same packed layout and summation order as the vector kernels.</summary>
internal readonly unsafe struct MicroKernelScalar : IMicroKernel
{
    public static int MR => 4;
    public static int NR => 4;
    public static bool UsesAvx512 => false;

    public static void Run(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, bool accumulate)
    {
        var acc = stackalloc float[16];
        new Span<float>(acc, 16).Clear();
        for (var p = 0; p < kc; p++)
        {
            for (var r = 0; r < 4; r++)
            {
                var ar = a[r];
                for (var j = 0; j < 4; j++)
                {
                    acc[r * 4 + j] = MathF.FusedMultiplyAdd(ar, b[j], acc[r * 4 + j]);
                }
            }
            a += aStep;
            b += bStep;
        }
        for (var r = 0; r < 4; r++)
        {
            for (var j = 0; j < 4; j++)
            {
                c[r * ldc + j] = accumulate ? c[r * ldc + j] + acc[r * 4 + j] : acc[r * 4 + j];
            }
        }
    }
}
