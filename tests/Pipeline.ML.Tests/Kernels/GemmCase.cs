namespace Pipeline.ML.Tests.Kernels;

/// <summary>A float32 gemm problem with strided, garbage-padded operands, and its double-precision answer.</summary>
internal sealed class GemmCase
{
    public required bool TransA { get; init; }
    public required bool TransB { get; init; }
    public required int M { get; init; }
    public required int N { get; init; }
    public required int K { get; init; }
    public required float[] A { get; init; }
    public required int Lda { get; init; }
    public required float[] B { get; init; }
    public required int Ldb { get; init; }
    public required float[] C0 { get; init; }
    public required int Ldc { get; init; }

    /// <summary>Row strides exceed the stored widths by <paramref name="pad"/>; padding holds values that must
    /// neither be read into the product nor overwritten.</summary>
    public static GemmCase Random(bool transA, bool transB, int m, int n, int k, int pad = 0, int seed = 1)
    {
        var rng = new Random(seed + (m * 7919) + (n * 104729) + (k * 31));
        var (aRows, aCols) = transA ? (k, m) : (m, k);
        var (bRows, bCols) = transB ? (n, k) : (k, n);
        return new GemmCase
        {
            TransA = transA, TransB = transB, M = m, N = n, K = k,
            A = Fill(rng, aRows * (aCols + pad)), Lda = aCols + pad,
            B = Fill(rng, bRows * (bCols + pad)), Ldb = bCols + pad,
            C0 = Fill(rng, m * (n + pad)), Ldc = n + pad,
        };
    }

    private static float[] Fill(Random rng, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>Asserts <paramref name="c"/> is C0 (+)= op(A)·op(B) to float32 accuracy, with padding untouched.</summary>
    public void AssertMatches(float[] c, bool accumulate)
    {
        var (product, magnitude) = _reference ??= Reference();
        for (var i = 0; i < M; i++)
        {
            for (var j = 0; j < Ldc; j++)
            {
                var at = (i * Ldc) + j;
                if (j >= N)
                {
                    if (c[at] != C0[at])
                    {
                        Assert.Fail($"padding C[{i}, {j}] was overwritten");
                    }
                    continue;
                }
                var expected = accumulate ? C0[at] + product[(i * N) + j] : product[(i * N) + j];
                // float32 summation error grows at most ~k·ε·Σ|a·b|; an indexing bug is off by O(|a·b|).
                var tolerance = (2e-7 * (K + 2) * magnitude[(i * N) + j]) + (2e-7 * Math.Abs(expected)) + 1e-30;
                if (!(Math.Abs(c[at] - expected) <= tolerance))
                {
                    Assert.Fail($"C[{i}, {j}] = {c[at]}, expected {expected} (tolerance {tolerance:G3}) for " +
                        $"m={M} n={N} k={K} transA={TransA} transB={TransB} accumulate={accumulate}");
                }
            }
        }
    }

    private (double[] Product, double[] Magnitude)? _reference;

    /// <summary>op(A)·op(B) in double, and Σ|a·b| per element (the scale of float32 rounding error).</summary>
    private (double[] Product, double[] Magnitude) Reference()
    {
        var product = new double[M * N];
        var magnitude = new double[M * N];
        for (var i = 0; i < M; i++)
        {
            for (var p = 0; p < K; p++)
            {
                double a = TransA ? A[(p * Lda) + i] : A[(i * Lda) + p];
                for (var j = 0; j < N; j++)
                {
                    var ab = a * (TransB ? B[(j * Ldb) + p] : B[(p * Ldb) + j]);
                    product[(i * N) + j] += ab;
                    magnitude[(i * N) + j] += Math.Abs(ab);
                }
            }
        }
        return (product, magnitude);
    }
}
