namespace Pipeline.ML.Losses;

/// <summary>
/// Per-token estimate of KL(π_θ ‖ π_ref) from a token sampled from π_θ: Schulman's k3,
/// exp(ref − logp) − (ref − logp) − 1 (http://joschu.net/blog/kl-approx.html), the estimator DeepSeekMath's GRPO and
/// TRL use. Unbiased, and never negative (eˣ ≥ 1 + x), zero exactly when the two log-probabilities agree.
/// </summary>
public static class KlEstimator
{
    /// <summary>k3(logp, ref) = e^(ref − logp) − (ref − logp) − 1.</summary>
    public static double K3(double logp, double refLogp)
    {
        var d = refLogp - logp;
        return Math.Exp(d) - d - 1;
    }

    /// <summary>∂k3/∂logp = 1 − e^(ref − logp): the reference log-probability is a constant.</summary>
    public static double K3Gradient(double logp, double refLogp) => 1 - Math.Exp(refLogp - logp);
}
