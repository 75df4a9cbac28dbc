using System.Numerics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>
/// Per-token log-probabilities of given targets, log_softmax(logits[r])[target[r]] — the sequence log-likelihoods
/// that DPO and GRPO compare between policy and reference (TRL's selective_log_softmax).
/// </summary>
public static class TokenLogProbs
{
    private const string Op = "TokenLogProbs";

    /// <summary>logp[r] = logits[r, t] − logsumexp(logits[r]); 0 for rows whose target is the ignore index.</summary>
    // logits: (N, V); targets: (N); logp: (N), overwritten
    public static unsafe void Forward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> logp, int n, int vocab)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CrossEntropy.CheckShapes(logits.Length, targets, n, vocab, Op);
        OpArgs.Length(Op, "logp", logp.Length, n, $"(N) = ({n})");
        fixed (T* l = logits, lp = logp)
        fixed (int* t = targets)
        {
            var body = new ForwardBody<T>
            {
                Logits = l, Targets = t, LogP = lp, Rows = n, Vocab = vocab, RowsPerChunk = RowChunks.RowsPerChunk(vocab),
            };
            CpuParallel.For(RowChunks.Count(n, vocab), body);
        }
    }

    /// <summary>dlogits[r] += dlogp[r] · (onehot(target[r]) − softmax(logits[r])); ignored rows get nothing.</summary>
    // logits, dlogits: (N, V); targets, dlogp: (N)
    public static void Backward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> dlogp, Span<T> dlogits, int n, int vocab)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CrossEntropy.CheckShapes(logits.Length, targets, n, vocab, Op);
        OpArgs.Length(Op, "dlogp", dlogp.Length, n, $"(N) = ({n})");
        OpArgs.Length(Op, "dlogits", dlogits.Length, (long)n * vocab, $"(N, V) = ({n}, {vocab})");
        // dlogp · (onehot − softmax) = (−dlogp) · (softmax − onehot): the cross-entropy gradient with c_r = −dlogp[r].
        RowSoftmax.AccumulateGradient(logits, targets, dlogp, -T.One, dlogits, n, vocab);
    }

    private unsafe struct ForwardBody<T> : IParallelBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* Logits;
        public int* Targets;
        public T* LogP;
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
                    LogP[r] = T.Zero;
                    continue;
                }
                var row = new ReadOnlySpan<T>(Logits + (long)r * Vocab, Vocab);
                LogP[r] = row[target] - RowSoftmax.LogSumExp(row);
            }
        }
    }
}
