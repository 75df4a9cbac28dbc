namespace Pipeline.ML.Rewards;

/// <summary>
/// The pairwise reward-model loss of InstructGPT (Ouyang et al. 2022, https://arxiv.org/abs/2203.02155, eq. 1) as
/// TRL's RewardTrainer computes it: the Bradley–Terry model P(y_w ≻ y_l) = σ(r_w − r_l), so
/// loss = mean over pairs of −log σ(r_w − r_l), plus TRL's optional center_rewards_coefficient term
/// c·mean((r_w + r_l)²) (Eisenstein et al. 2023, https://arxiv.org/abs/2312.09244), which pins the rewards near 0.
/// </summary>
public static class BradleyTerryLoss
{
    /// <summary>
    /// Adds each pair's loss to the returned sums and ACCUMULATES d(loss)/d(r) into the gradient spans, scaled by
    /// <paramref name="gradScale"/> (1/N for the mean over N pairs; 1/N_step when micro-batches share one mean).
    /// </summary>
    // chosen, rejected, dChosen, dRejected: (P)
    public static RewardPairStats Compute(
        ReadOnlySpan<float> chosen, ReadOnlySpan<float> rejected, Span<float> dChosen, Span<float> dRejected,
        double gradScale, double centerCoefficient = 0)
    {
        var n = chosen.Length;
        if (rejected.Length != n || dChosen.Length != n || dRejected.Length != n)
        {
            throw new ArgumentException(
                $"chosen has {n} rewards but rejected has {rejected.Length} and the gradients {dChosen.Length}/{dRejected.Length}");
        }
        var stats = RewardPairStats.Empty;
        for (var i = 0; i < n; i++)
        {
            double w = chosen[i], l = rejected[i], delta = w - l, sum = w + l;
            // −log σ(Δ) = softplus(−Δ), written so that neither branch overflows: max(−Δ, 0) + log1p(e^−|Δ|).
            var loss = Math.Max(-delta, 0) + double.LogP1(Math.Exp(-Math.Abs(delta))) + centerCoefficient * sum * sum;
            // d softplus(−Δ)/dΔ = −σ(−Δ); the center term adds 2c(r_w + r_l) to both rewards' gradients.
            var dDelta = -Sigmoid(-delta);
            var dCenter = 2 * centerCoefficient * sum;
            dChosen[i] += (float)(gradScale * (dDelta + dCenter));
            dRejected[i] += (float)(gradScale * (-dDelta + dCenter));
            stats = stats.Add(loss, w, l);
        }
        return stats;
    }

    /// <summary>The loss and metrics alone (evaluation): no gradient.</summary>
    public static RewardPairStats Evaluate(ReadOnlySpan<float> chosen, ReadOnlySpan<float> rejected, double centerCoefficient = 0)
    {
        var scratch = new float[2 * chosen.Length];
        return Compute(chosen, rejected, scratch.AsSpan(0, chosen.Length), scratch.AsSpan(chosen.Length), 0, centerCoefficient);
    }

    // σ(x) without overflow for large |x|.
    private static double Sigmoid(double x) =>
        x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
}
