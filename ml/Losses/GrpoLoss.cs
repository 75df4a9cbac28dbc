namespace Pipeline.ML.Losses;

/// <summary>
/// GRPO's objective (DeepSeekMath, Shao et al. 2024, eq. 3) per token, as a loss to minimise:
/// ℓ = −min(ρ·A, clip(ρ, 1 − ε_low, 1 + ε_high)·A) + β·k3(logp, ref), with ρ = exp(logp − logp_old), and the weights
/// that aggregate tokens into the step's loss (<see cref="GrpoLossType"/>).
/// </summary>
public static class GrpoLoss
{
    /// <summary>
    /// The term of one token. The clipped branch is flat in logp, so where it is the smaller one the policy gradient is
    /// 0; at ρ exactly 1 ± ε the two branches are equal and the gradient is the full −ρ·A (as torch's clamp, which passes
    /// the gradient at its bounds). <paramref name="refLogp"/> null means no KL term (β = 0 or no reference).
    /// </summary>
    public static GrpoTokenTerms Token(
        double logp, double oldLogp, double advantage, double epsilonLow, double epsilonHigh, double beta = 0, double? refLogp = null)
    {
        var ratio = Math.Exp(logp - oldLogp);
        var clipped = Math.Clamp(ratio, 1 - epsilonLow, 1 + epsilonHigh);
        var lowClipped = advantage < 0 && ratio < 1 - epsilonLow;
        var highClipped = advantage > 0 && ratio > 1 + epsilonHigh;
        var loss = -Math.Min(ratio * advantage, clipped * advantage);
        // d(ρ·A)/dlogp = ρ·A; the clipped branch contributes nothing where it wins.
        var dlogp = lowClipped || highClipped ? 0 : -ratio * advantage;
        double kl = 0;
        if (refLogp is { } r)
        {
            kl = KlEstimator.K3(logp, r);
            loss += beta * kl;
            dlogp += beta * KlEstimator.K3Gradient(logp, r);
        }
        return new GrpoTokenTerms(loss, dlogp, ratio, lowClipped, highClipped, kl);
    }

    /// <summary>
    /// The weight every token of completion i gets in the step's loss, given each completion's number of loss tokens
    /// (0 for a completion masked out, e.g. truncated under mask_truncated_completions): Grpo 1/(N·Tᵢ), Bnpo 1/ΣT,
    /// DrGrpo 1/(N·max_completion_length). N counts every completion of the step, masked ones included (as TRL).
    /// </summary>
    public static double[] SequenceWeights(IReadOnlyList<int> lossTokens, GrpoLossType type, int maxCompletionLength)
    {
        var n = lossTokens.Count;
        var total = lossTokens.Sum(t => (long)t);
        var weights = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (lossTokens[i] == 0)
            {
                continue;
            }
            weights[i] = type switch
            {
                GrpoLossType.Grpo => 1.0 / ((double)n * lossTokens[i]),
                GrpoLossType.Bnpo => 1.0 / total,
                GrpoLossType.DrGrpo => 1.0 / ((double)n * maxCompletionLength),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown GRPO loss type"),
            };
        }
        return weights;
    }
}
