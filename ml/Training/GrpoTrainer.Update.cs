using Pipeline.ML.Losses;
using Pipeline.ML.Optim;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Training;

public sealed partial class GrpoTrainer
{
    // One optimiser update on the rollout: per micro-batch, forward → per-token log-probs → GRPO terms → dlogp →
    // TokenLogProbsBackward into dlogits → model backward (accumulating); then clip and step. Token weights are
    // computed over the whole step, so the accumulated gradient is exactly that of the step's aggregated loss.
    private (double Loss, long Tokens) Update(GrpoRollout r, double lr, GrpoMetrics window)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var lossTokens = r.Completions.Select((c, i) => _options.MaskTruncatedCompletions && r.Truncated[i] ? 0 : c.Length).ToArray();
        var weights = GrpoLoss.SequenceWeights(lossTokens, _options.LossType, _options.MaxCompletionLength);
        var b = r.MicroBatchSize;
        var logp = new Tensor(b * _seqLen);
        var dlogp = new Tensor(b * _seqLen);
        var sums = new GrpoTokenSums();
        _model.ZeroGrad();
        for (var m = 0; m < r.MicroBatches.Length; m++)
        {
            var batch = r.MicroBatches[m];
            var acts = Activations(b);
            _model.Forward(batch, acts);
            _model.Ops.TokenLogProbs(acts.Logits, batch.Targets, logp);
            dlogp.Span.Clear();
            for (var i = m * b; i < (m + 1) * b; i++)
            {
                if (lossTokens[i] > 0)
                {
                    sums.Add(logp.Span, dlogp.Span, r.FirstTargetRow(i), r.Completions[i].Length, r.Advantages[i], weights[i],
                        r.OldLogps?[i], r.RefLogps?[i], _options.Epsilon, _options.EffectiveEpsilonHigh, _options.Beta);
                }
            }
            _model.Ops.Zero(acts.DLogits);
            _model.Ops.TokenLogProbsBackward(acts.Logits, batch.Targets, dlogp, acts.DLogits);
            _model.Backward(batch, acts);
        }
        var norm = GradientClipping.ClipByGlobalNorm(_optimizer.Parameters, _options.Training.MaxGradNorm);
        _optimizer.Update(lr);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;

        var n = Math.Max(sums.Tokens, 1);
        window.Add("loss", sums.Loss);
        window.Add("grad_norm", norm);
        if (_reference is not null)
        {
            window.Add("kl", sums.Kl / n);
        }
        window.Add("clip_ratio/low_mean", (double)sums.LowClipped / n);
        window.Add("clip_ratio/high_mean", (double)sums.HighClipped / n);
        window.Add("clip_ratio/region_mean", (double)(sums.LowClipped + sums.HighClipped) / n);
        window.Add("tokens_per_second", r.RealTokens / Math.Max(seconds, 1e-9));
        return (sums.Loss, r.RealTokens);
    }
}
