using Pipeline.ML.Data;
using Pipeline.ML.Models;
using Pipeline.ML.Ops;

namespace Pipeline.ML.Training;

/// <summary>
/// One generation batch of a GRPO step: for each sampled prompt, G completions in consecutive order, their rewards
/// (weighted total and per function), advantages, and the (prompt + completion) rows the update trains on, cut into
/// micro-batches. <see cref="OldLogps"/> (μ &gt; 1) and <see cref="RefLogps"/> (β &gt; 0) hold, per completion, the
/// log-probability of each completion token under π_old and π_ref, computed once before the updates.
/// </summary>
internal sealed class GrpoRollout
{
    public required PromptExample[] Prompts { get; init; }          // one per completion

    public required int[][] Completions { get; init; }

    public required bool[] Truncated { get; init; }

    public required double[] Rewards { get; init; }

    public required double[][] RewardsByFunction { get; init; }     // [function][completion]

    public required double[] Advantages { get; init; }

    public required TokenBatch[] MicroBatches { get; init; }

    public required int MicroBatchSize { get; init; }

    public float[][]? OldLogps { get; set; }

    public float[][]? RefLogps { get; set; }

    public long GeneratedTokens => Completions.Sum(c => (long)c.Length);

    /// <summary>Prompt + completion tokens of every row, padding excluded: what one update pass processes.</summary>
    public long RealTokens => Prompts.Sum(p => (long)p.Ids.Length) + GeneratedTokens;

    /// <summary>Row index in its micro-batch's flattened (B·T) targets of completion <paramref name="i"/>'s first token.</summary>
    // Target at row t is token t+1, so completion token j is scored at row prompt.Length − 1 + j.
    public int FirstTargetRow(int i) => i % MicroBatchSize * MicroBatches[0].SeqLen + Prompts[i].Ids.Length - 1;

    /// <summary>Right-padded rows, labels only on completion tokens (the stop token included), in micro-batches of <paramref name="microBatch"/>.</summary>
    public static TokenBatch[] Rows(PromptExample[] prompts, int[][] completions, int seqLen, int microBatch)
    {
        var batches = new TokenBatch[prompts.Length / microBatch];
        for (var m = 0; m < batches.Length; m++)
        {
            var ids = new List<int[]>(microBatch);
            var labels = new List<int[]>(microBatch);
            for (var i = m * microBatch; i < (m + 1) * microBatch; i++)
            {
                var prompt = prompts[i].Ids;
                var row = new int[seqLen];      // padding id 0: causal attention keeps it out of every scored position
                var label = Enumerable.Repeat(CrossEntropy.IgnoreIndex, seqLen).ToArray();
                prompt.CopyTo(row, 0);
                completions[i].CopyTo(row, prompt.Length);
                completions[i].CopyTo(label, prompt.Length);
                ids.Add(row);
                labels.Add(label);
            }
            batches[m] = TokenBatch.Create(ids, labels);
        }
        return batches;
    }
}
