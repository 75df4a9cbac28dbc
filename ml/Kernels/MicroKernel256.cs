using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.ML.Kernels;

/// <summary>AVX2 micro-kernel: a 6×16 tile of C in 12 ymm accumulators (of the 16 registers, the rest hold
/// the B row and one broadcast). The AVX-512 kernel's loop at half width, for machines without AVX-512.</summary>
internal readonly unsafe struct MicroKernel256 : IMicroKernel
{
    public static int MR => 6;
    public static bool UsesAvx512 => false;
    public static int NR => 16;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, bool accumulate)
    {
        Vector256<float> lo0 = default, hi0 = default, lo1 = default, hi1 = default, lo2 = default, hi2 = default, lo3 = default, hi3 = default, lo4 = default, hi4 = default, lo5 = default, hi5 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            lo0 = Vector256.FusedMultiplyAdd(a0, b0, lo0);
            hi0 = Vector256.FusedMultiplyAdd(a0, b1, hi0);
            var a1 = Vector256.Create(a[1]);
            lo1 = Vector256.FusedMultiplyAdd(a1, b0, lo1);
            hi1 = Vector256.FusedMultiplyAdd(a1, b1, hi1);
            var a2 = Vector256.Create(a[2]);
            lo2 = Vector256.FusedMultiplyAdd(a2, b0, lo2);
            hi2 = Vector256.FusedMultiplyAdd(a2, b1, hi2);
            var a3 = Vector256.Create(a[3]);
            lo3 = Vector256.FusedMultiplyAdd(a3, b0, lo3);
            hi3 = Vector256.FusedMultiplyAdd(a3, b1, hi3);
            var a4 = Vector256.Create(a[4]);
            lo4 = Vector256.FusedMultiplyAdd(a4, b0, lo4);
            hi4 = Vector256.FusedMultiplyAdd(a4, b1, hi4);
            var a5 = Vector256.Create(a[5]);
            lo5 = Vector256.FusedMultiplyAdd(a5, b0, lo5);
            hi5 = Vector256.FusedMultiplyAdd(a5, b1, hi5);
            a += aStep;
            b += bStep;
        }
        Store(c + 0 * ldc, lo0, hi0, accumulate);
        Store(c + 1 * ldc, lo1, hi1, accumulate);
        Store(c + 2 * ldc, lo2, hi2, accumulate);
        Store(c + 3 * ldc, lo3, hi3, accumulate);
        Store(c + 4 * ldc, lo4, hi4, accumulate);
        Store(c + 5 * ldc, lo5, hi5, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> v0, Vector256<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }
        Vector256.Store(v0, c);
        Vector256.Store(v1, c + 8);
    }
}
