using System.Runtime.Intrinsics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Kernels;

/// <summary>
/// C (m, n) (+)= A (m, k) · Bᵀ with B stored (n, k) and m ≤ <see cref="MaxRows"/>: the few-row products of decoding
/// (one new token per sequence through a weight). Packing B for the micro-kernel costs ~10× the arithmetic there,
/// so this reads B's rows in place and takes m dot products per row. Columns split over threads; each C element
/// is one dot product in a fixed order, so results do not depend on the thread count.
/// </summary>
internal static unsafe class SkinnyGemm
{
    public const int MaxRows = 4;
    private const int ColumnsPerChunk = 64;

    public static bool Suits(bool transA, bool transB, int m) => !transA && transB && m <= MaxRows;

    public static void Multiply(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        var body = new Body { A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc, M = m, N = n, K = k, Accumulate = accumulate };
        var chunks = (n + ColumnsPerChunk - 1) / ColumnsPerChunk;
        if ((long)m * n * k < FloatGemm.ParallelMinMacs || chunks == 1)
        {
            for (var i = 0; i < chunks; i++)
            {
                body.Run(i);
            }
            return;
        }
        CpuParallel.For(chunks, body);
    }

    private struct Body : IParallelBody
    {
        public float* A, B, C;
        public int Lda, Ldb, Ldc, M, N, K;
        public bool Accumulate;

        public readonly void Run(int chunk)
        {
            var end = Math.Min(N, (chunk + 1) * ColumnsPerChunk);
            for (var j = chunk * ColumnsPerChunk; j < end; j++)
            {
                var row = B + (long)j * Ldb;
                for (var i = 0; i < M; i++)
                {
                    var dot = Dot(A + (long)i * Lda, row, K);
                    var dst = C + (long)i * Ldc + j;
                    *dst = Accumulate ? *dst + dot : dot;
                }
            }
        }
    }

    private static float Dot(float* x, float* y, int k)
    {
        var p = 0;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && k >= 16)
        {
            // Two accumulators hide the FMA latency for the k = 128…1024 rows this path sees.
            Vector512<float> s0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero;
            for (; p <= k - 32; p += 32)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + p), Vector512.Load(y + p), s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Load(x + p + 16), Vector512.Load(y + p + 16), s1);
            }
            for (; p <= k - 16; p += 16)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + p), Vector512.Load(y + p), s0);
            }
            sum = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated && k >= 8)
        {
            var s0 = Vector256<float>.Zero;
            for (; p <= k - 8; p += 8)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), s0);
            }
            sum = Vector256.Sum(s0);
        }
        for (; p < k; p++)
        {
            sum = MathF.FusedMultiplyAdd(x[p], y[p], sum);
        }
        return sum;
    }
}
