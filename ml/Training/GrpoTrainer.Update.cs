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
        double loss = 0, kl = 0;
        long counted = 0, low = 0, high = 0;
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
                if (lossTokens[i] == 0)
                {
                    continue;
                }
                var row = r.FirstTargetRow(i);
                for (var j = 0; j < r.Completions[i].Length; j++)
                {
                    double current = logp.Span[row + j];
                    // μ = 1: π_old is the current policy, detached (TRL), so ρ = 1 exactly at the single update.
                    double old = r.OldLogps?[i][j] ?? current;
                    var t = GrpoLoss.Token(current, old, r.Advantages[i], _options.Epsilon, _options.EffectiveEpsilonHigh,
                        _options.Beta, r.RefLogps?[i][j]);
                    loss += weights[i] * t.Loss;
                    dlogp.Span[row + j] = (float)(weights[i] * t.DLogp);
                    kl += t.Kl;
                    low += t.LowClipped ? 1 : 0;
                    high += t.HighClipped ? 1 : 0;
                    counted++;
                }
            }
            _model.Ops.Zero(acts.DLogits);
            _model.Ops.TokenLogProbsBackward(acts.Logits, batch.Targets, dlogp, acts.DLogits);
            _model.Backward(batch, acts);
        }
        var norm = GradientClipping.ClipByGlobalNorm(_optimizer.Parameters, _options.Training.MaxGradNorm);
        _optimizer.Update(lr);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;

        var n = Math.Max(counted, 1);
        window.Add("loss", loss);
        window.Add("grad_norm", norm);
        if (_reference is not null)
        {
            window.Add("kl", kl / n);
        }
        window.Add("clip_ratio/low_mean", (double)low / n);
        window.Add("clip_ratio/high_mean", (double)high / n);
        window.Add("clip_ratio/region_mean", (double)(low + high) / n);
        window.Add("tokens_per_second", r.RealTokens / Math.Max(seconds, 1e-9));
        return (loss, r.RealTokens);
    }
}
