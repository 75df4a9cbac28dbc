using Pipeline.ML.Losses;
using Pipeline.ML.Models;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Training;

/// <summary>
/// The DPO objective on one forward pass over a <see cref="PreferenceBatch"/>: per-token log-probs of the completions,
/// per-sequence sums (or means), the pair losses of <see cref="DpoLoss"/>, the optional RPO NLL term, and — when
/// training — d(loss)/d(logits) in acts.DLogits, ready for the model's Backward.
/// </summary>
internal static class DpoObjective
{
    /// <param name="reference">each pair's reference log-probs (chosen, rejected) as completion SUMS; ignored by SimPO.</param>
    /// <param name="pairWeight">the weight of each pair's loss in the step's loss: 1 / pairs in the step (a mean).</param>
    /// <param name="nllWeight">the weight of each chosen token's −log π in the step's loss: α / chosen tokens in the step.</param>
    // acts.Logits: (2B·T, V); logp, dlogp: (2B·T) scratch
    public static void Run(
        LlamaModel model, LlamaActivations acts, PreferenceBatch batch, ReadOnlySpan<(double Chosen, double Rejected)> reference,
        DpoOptions options, Tensor logp, Tensor dlogp, DpoMetrics metrics, double pairWeight = 0, double nllWeight = 0, bool backward = false)
    {
        var ops = model.Ops;
        var targets = batch.Tokens.Targets;
        ops.TokenLogProbs(acts.Logits, targets, logp);
        var lp = logp.Span;
        var dlp = dlogp.Span;
        if (backward)
        {
            dlp.Clear();
        }
        var (type, beta) = (options.LossType, options.EffectiveBeta);
        var average = DpoLoss.AveragesLogProbs(type);
        var b = batch.Pairs;
        for (var i = 0; i < b; i++)
        {
            int chosenLen = batch.CompletionLength[i], rejectedLen = batch.CompletionLength[b + i];
            // Rounded to float as the cached reference sums are: the policy at its starting weights then has margins of
            // exactly 0 (not rounding noise that reads as rewards/accuracies above 0).
            double chosenSum = (float)batch.Sum(lp, i), rejectedSum = (float)batch.Sum(lp, b + i);
            // IPO and SimPO: a sequence's log-prob is its token mean, so each token's share of d/d(seq) is 1/length.
            double scaleC = average ? 1.0 / chosenLen : 1, scaleR = average ? 1.0 / rejectedLen : 1;
            var pair = DpoLoss.Compute(
                type, beta, chosenSum * scaleC, rejectedSum * scaleR, reference[i].Chosen * scaleC, reference[i].Rejected * scaleR,
                options.LabelSmoothing, options.EffectiveSimpoGamma);
            metrics.AddPair(pair, chosenSum * scaleC, rejectedSum * scaleR);
            metrics.AddNll(-chosenSum, chosenLen);
            if (backward)
            {
                // d(loss)/d log π(token): the pair term through the sequence log-prob, minus α/N from RPO's NLL on y_w.
                dlp.Slice(batch.CompletionStart[i], chosenLen).Fill((float)(pairWeight * pair.DChosen * scaleC - nllWeight));
                dlp.Slice(batch.CompletionStart[b + i], rejectedLen).Fill((float)(pairWeight * pair.DRejected * scaleR));
            }
        }
        if (backward)
        {
            ops.Zero(acts.DLogits);
            ops.TokenLogProbsBackward(acts.Logits, targets, dlogp, acts.DLogits);
        }
    }
}
