using Pipeline.ML.Models;
using Pipeline.ML.Ops;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Generation;

/// <summary>
/// log p(completion | prompt) under the model, per token and summed — what DPO's implicit reward and GRPO's ratio and
/// KL are built from. Each (prompt, completion) pair becomes one right-padded row; only completion tokens count.
/// </summary>
public static class CompletionLogProbs
{
    /// <returns>For each pair, the log-probability of every completion token and their sum.</returns>
    public static IReadOnlyList<(float[] PerToken, double Sum)> Compute(
        LlamaModel model, IReadOnlyList<(int[] Prompt, int[] Completion)> pairs, int batchSize = 16)
    {
        if (pairs.Any(p => p.Prompt.Length == 0 || p.Completion.Length == 0))
        {
            throw new ArgumentException("every pair needs a non-empty prompt and completion");
        }
        var results = new List<(float[], double)>(pairs.Count);
        for (var start = 0; start < pairs.Count; start += batchSize)
        {
            var chunk = pairs.Skip(start).Take(batchSize).ToList();
            var seqLen = chunk.Max(p => p.Prompt.Length + p.Completion.Length);
            var ids = new List<int[]>();
            var labels = new List<int[]>();
            foreach (var (prompt, completion) in chunk)
            {
                var row = new int[seqLen];
                var label = Enumerable.Repeat(CrossEntropy.IgnoreIndex, seqLen).ToArray();
                prompt.CopyTo(row, 0);
                completion.CopyTo(row, prompt.Length);
                completion.CopyTo(label, prompt.Length);
                ids.Add(row);
                labels.Add(label);
            }
            var batch = TokenBatch.Create(ids, labels);
            var acts = model.CreateActivations(batch.Batch, batch.SeqLen);
            model.Forward(batch, acts);
            var logp = new Tensor(batch.Rows);
            model.Ops.TokenLogProbs(acts.Logits, batch.Targets, logp);
            for (var b = 0; b < chunk.Count; b++)
            {
                var (prompt, completion) = chunk[b];
                // Target at row t is token t+1, so completion token j is scored at row prompt.Length − 1 + j.
                var per = logp.Span.Slice(b * seqLen + prompt.Length - 1, completion.Length).ToArray();
                results.Add((per, per.Sum(x => (double)x)));
            }
        }
        return results;
    }
}
