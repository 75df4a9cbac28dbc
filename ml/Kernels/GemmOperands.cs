namespace Pipeline.ML.Kernels;

/// <summary>
/// One float32 GEMM with its matrices pinned: C (M, N) = op(A) (M, K) · op(B) (K, N), row-major with row strides
/// Lda/Ldb/Ldc as stored. Element accessors spell out what "transposed" means for the packing routines.
/// </summary>
internal readonly unsafe struct GemmOperands(
    bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
{
    public readonly bool TransA = transA;
    public readonly bool TransB = transB;
    public readonly int M = m;
    public readonly int N = n;
    public readonly int K = k;
    public readonly float* A = a;
    public readonly nint Lda = lda;
    public readonly float* B = b;
    public readonly nint Ldb = ldb;
    public readonly float* C = c;
    public readonly nint Ldc = ldc;
    public readonly bool Accumulate = accumulate;
}
