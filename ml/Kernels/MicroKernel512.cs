using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.ML.Kernels;

/// <summary>AVX-512 micro-kernel: a 8×32 tile of C in 16 zmm accumulators. Per k step it loads one 32-wide row
/// of the packed B panel (two vectors) and broadcasts 8 values of the packed A panel, each feeding two FMAs.</summary>
internal readonly unsafe struct MicroKernel512 : IMicroKernel
{
    public static int MR => 8;
    public static bool UsesAvx512 => true;
    public static int NR => 32;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> lo0 = default, hi0 = default, lo1 = default, hi1 = default, lo2 = default, hi2 = default, lo3 = default, hi3 = default, lo4 = default, hi4 = default, lo5 = default, hi5 = default, lo6 = default, hi6 = default, lo7 = default, hi7 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            lo0 = Vector512.FusedMultiplyAdd(a0, b0, lo0);
            hi0 = Vector512.FusedMultiplyAdd(a0, b1, hi0);
            var a1 = Vector512.Create(a[1]);
            lo1 = Vector512.FusedMultiplyAdd(a1, b0, lo1);
            hi1 = Vector512.FusedMultiplyAdd(a1, b1, hi1);
            var a2 = Vector512.Create(a[2]);
            lo2 = Vector512.FusedMultiplyAdd(a2, b0, lo2);
            hi2 = Vector512.FusedMultiplyAdd(a2, b1, hi2);
            var a3 = Vector512.Create(a[3]);
            lo3 = Vector512.FusedMultiplyAdd(a3, b0, lo3);
            hi3 = Vector512.FusedMultiplyAdd(a3, b1, hi3);
            var a4 = Vector512.Create(a[4]);
            lo4 = Vector512.FusedMultiplyAdd(a4, b0, lo4);
            hi4 = Vector512.FusedMultiplyAdd(a4, b1, hi4);
            var a5 = Vector512.Create(a[5]);
            lo5 = Vector512.FusedMultiplyAdd(a5, b0, lo5);
            hi5 = Vector512.FusedMultiplyAdd(a5, b1, hi5);
            var a6 = Vector512.Create(a[6]);
            lo6 = Vector512.FusedMultiplyAdd(a6, b0, lo6);
            hi6 = Vector512.FusedMultiplyAdd(a6, b1, hi6);
            var a7 = Vector512.Create(a[7]);
            lo7 = Vector512.FusedMultiplyAdd(a7, b0, lo7);
            hi7 = Vector512.FusedMultiplyAdd(a7, b1, hi7);
            a += aStep;
            b += bStep;
        }
        Store(c + 0 * ldc, lo0, hi0, accumulate);
        Store(c + 1 * ldc, lo1, hi1, accumulate);
        Store(c + 2 * ldc, lo2, hi2, accumulate);
        Store(c + 3 * ldc, lo3, hi3, accumulate);
        Store(c + 4 * ldc, lo4, hi4, accumulate);
        Store(c + 5 * ldc, lo5, hi5, accumulate);
        Store(c + 6 * ldc, lo6, hi6, accumulate);
        Store(c + 7 * ldc, lo7, hi7, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> v0, Vector512<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }
        Vector512.Store(v0, c);
        Vector512.Store(v1, c + 16);
    }
}
