using System.Numerics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>
/// The log-softmax row work shared by <see cref="CrossEntropy"/> and <see cref="TokenLogProbs"/>: both read
/// log_softmax(logits[r])[target[r]] = logits[r, t] − logsumexp(logits[r]) and both have the gradient
/// c_r · (softmax(logits[r]) − onehot(t)).
/// </summary>
internal static class RowSoftmax
{
    /// <summary>Stable log Σ exp(x): the max is subtracted before exponentiating (as torch.logsumexp).</summary>
    public static T LogSumExp<T>(ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = RowSimd.Max(row);
        return max + T.Log(RowSimd.SumExp(row, max));
    }

    /// <summary>
    /// dlogits[r] += c_r · (softmax(logits[r]) − onehot(targets[r])) for every row whose target is not ignored,
    /// with c_r = scale · rowScale[r], or c_r = scale when <paramref name="rowScale"/> is empty.
    /// </summary>
    // logits, dlogits: (N, V); targets: (N); rowScale: (N) or empty
    public static unsafe void AccumulateGradient<T>(
        ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> rowScale, T scale, Span<T> dlogits, int n, int vocab)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* l = logits, s = rowScale, d = dlogits)
        fixed (int* t = targets)
        {
            var body = new GradientBody<T>
            {
                Logits = l, Targets = t, RowScale = rowScale.IsEmpty ? null : s, Scale = scale, DLogits = d,
                Rows = n, Vocab = vocab, RowsPerChunk = RowChunks.RowsPerChunk(vocab),
            };
            CpuParallel.For(RowChunks.Count(n, vocab), body);
        }
    }

    private unsafe struct GradientBody<T> : IParallelBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* Logits;
        public int* Targets;
        public T* RowScale;
        public T Scale;
        public T* DLogits;
        public int Rows;
        public int Vocab;
        public int RowsPerChunk;

        public readonly void Run(int chunk)
        {
            var end = Math.Min(Rows, (chunk + 1) * RowsPerChunk);
            for (var r = chunk * RowsPerChunk; r < end; r++)
            {
                var target = Targets[r];
                if (target == CrossEntropy.IgnoreIndex)
                {
                    continue;
                }
                var row = new ReadOnlySpan<T>(Logits + (long)r * Vocab, Vocab);
                var drow = new Span<T>(DLogits + (long)r * Vocab, Vocab);
                var c = RowScale == null ? Scale : Scale * RowScale[r];
                // softmax term: c · exp(x − lse); one-hot term: −c at the target.
                RowSimd.AddScaledExp(row, LogSumExp(row), c, drow);
                drow[target] -= c;
            }
        }
    }
}
