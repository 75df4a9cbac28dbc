using System.Numerics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>
/// Softmax cross-entropy over the vocabulary with an ignore index (torch.nn.functional.cross_entropy,
/// reduction left to the caller). Targets are already shifted by the caller (target[r] is the token after row r).
/// </summary>
public static class CrossEntropy
{
    /// <summary>Rows with this target contribute no loss and no gradient (PyTorch's default ignore_index).</summary>
    public const int IgnoreIndex = -100;

    private const string Op = "CrossEntropy";

    /// <summary>Per-row loss logsumexp(logits[r]) − logits[r, target[r]] (0 for ignored rows) and the batch stats.</summary>
    // logits: (N, V); targets: (N); losses: (N), overwritten
    public static unsafe CrossEntropyStats Forward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, int n, int vocab)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(logits.Length, targets, n, vocab);
        OpArgs.Length(Op, "losses", losses.Length, n, $"(N) = ({n})");

        var chunks = RowChunks.Count(n, vocab);
        var correctPerChunk = new int[chunks];
        fixed (T* l = logits, loss = losses)
        fixed (int* t = targets, correct = correctPerChunk)
        {
            var body = new ForwardBody<T>
            {
                Logits = l, Targets = t, Losses = loss, CorrectPerChunk = correct,
                Rows = n, Vocab = vocab, RowsPerChunk = RowChunks.RowsPerChunk(vocab),
            };
            CpuParallel.For(chunks, body);
        }

        // Summed in row order, so the total does not depend on the chunking.
        var lossSum = 0.0;
        var count = 0;
        for (var r = 0; r < n; r++)
        {
            if (targets[r] != IgnoreIndex)
            {
                lossSum += double.CreateTruncating(losses[r]);
                count++;
            }
        }
        return new CrossEntropyStats(lossSum, count, correctPerChunk.Sum());
    }

    /// <summary>
    /// dlogits[r] += scale · (softmax(logits[r]) − onehot(target[r])) for non-ignored rows. For a mean loss the
    /// caller passes scale = dloss / Count.
    /// </summary>
    // logits, dlogits: (N, V); targets: (N)
    public static void Backward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> dlogits, int n, int vocab, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(logits.Length, targets, n, vocab);
        OpArgs.Length(Op, "dlogits", dlogits.Length, (long)n * vocab, $"(N, V) = ({n}, {vocab})");
        RowSoftmax.AccumulateGradient(logits, targets, [], scale, dlogits, n, vocab);
    }

    internal static void CheckShapes(int logitsLength, ReadOnlySpan<int> targets, int n, int vocab, string op = Op)
    {
        OpArgs.NonNegative(op, "n", n);
        OpArgs.NonNegative(op, "vocab", vocab);
        OpArgs.Length(op, "logits", logitsLength, (long)n * vocab, $"(N, V) = ({n}, {vocab})");
        OpArgs.Length(op, "targets", targets.Length, n, $"(N) = ({n})");
        OpArgs.Targets(op, targets, vocab);
    }

    private unsafe struct ForwardBody<T> : IParallelBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* Logits;
        public int* Targets;
        public T* Losses;
        public int* CorrectPerChunk;
        public int Rows;
        public int Vocab;
        public int RowsPerChunk;

        public readonly void Run(int chunk)
        {
            var correct = 0;
            var end = Math.Min(Rows, (chunk + 1) * RowsPerChunk);
            for (var r = chunk * RowsPerChunk; r < end; r++)
            {
                var target = Targets[r];
                if (target == IgnoreIndex)
                {
                    Losses[r] = T.Zero;
                    continue;
                }
                var row = new ReadOnlySpan<T>(Logits + (long)r * Vocab, Vocab);
                var max = RowSimd.Max(row);
                Losses[r] = max + T.Log(RowSimd.SumExp(row, max)) - row[target];
                // argmax is the first index holding the max (torch.argmax's tie rule).
                if (row.IndexOf(max) == target)
                {
                    correct++;
                }
            }
            CorrectPerChunk[chunk] = correct;
        }
    }
}
