namespace Pipeline.Workers.Bench;

/// <summary>One product to time: C (M, N) = op(A) (M, K) · op(B) (K, N), row-major, a transposed operand stored
/// transposed (as the training engine's ops call it).</summary>
public sealed record GemmBenchShape(string Name, int M, int N, int K, bool TransA, bool TransB)
{
    public double Flops => 2.0 * M * N * K;

    /// <summary>Square sizes for peak, then the shapes a training step of the small LLaMA runs (T = 2048 tokens,
    /// C = 128, MLP 512, head 32 over 64 positions): forward X·Wᵀ, backward dX = dY·W and dW = dYᵀ·X, attention.</summary>
    public static IReadOnlyList<GemmBenchShape> Default { get; } =
    [
        new("square", 256, 256, 256, false, false),
        new("square", 512, 512, 512, false, false),
        new("square", 1024, 1024, 1024, false, false),
        new("square", 2048, 2048, 2048, false, false),
        new("X·Wᵀ (proj)", 2048, 128, 128, false, true),
        new("X·Wᵀ (mlp up)", 2048, 512, 128, false, true),
        new("X·Wᵀ (mlp down)", 2048, 128, 512, false, true),
        new("dX = dY·W (proj)", 2048, 128, 128, false, false),
        new("dX = dY·W (mlp up)", 2048, 128, 512, false, false),
        new("dX = dY·W (mlp down)", 2048, 512, 128, false, false),
        new("dW = dYᵀ·X (proj)", 128, 128, 2048, true, false),
        new("dW = dYᵀ·X (mlp up)", 512, 128, 2048, true, false),
        new("dW = dYᵀ·X (mlp down)", 128, 512, 2048, true, false),
        new("Q·Kᵀ (attention)", 64, 64, 32, false, true),
        new("(64×32)·(32×64)", 64, 64, 32, false, false),
        new("P·V (attention)", 64, 32, 64, false, false),
        new("dV = Pᵀ·dO (attention)", 64, 32, 64, true, false),
    ];
}
