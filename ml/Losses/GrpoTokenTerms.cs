namespace Pipeline.ML.Losses;

/// <summary>
/// One completion token's GRPO loss term, its derivative with respect to the policy's log-probability of the token,
/// the ratio ρ, whether clipping removed the token's policy gradient (low: ρ &lt; 1 − ε with A &lt; 0; high:
/// ρ &gt; 1 + ε_high with A &gt; 0, TRL's clip_ratio regions), and the k3 KL estimate (0 without a reference).
/// </summary>
public readonly record struct GrpoTokenTerms(double Loss, double DLogp, double Ratio, bool LowClipped, bool HighClipped, double Kl);
