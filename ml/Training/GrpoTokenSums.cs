using Pipeline.ML.Losses;

namespace Pipeline.ML.Training;

/// <summary>
/// The GRPO terms of one micro-batch's completions, summed into the step's loss and clip/KL counts while each token's
/// weighted ∂loss/∂logp is written where <see cref="Ops.TokenLogProbs"/>'s backward reads it.
/// </summary>
internal sealed class GrpoTokenSums
{
    public double Loss { get; private set; }

    public double Kl { get; private set; }

    public long LowClipped { get; private set; }

    public long HighClipped { get; private set; }

    public long Tokens { get; private set; }

    /// <summary>
    /// Adds one completion whose tokens are scored at rows firstRow … firstRow + length − 1 of <paramref name="logp"/>
    /// (the policy's log-probs, (B·T)), writing weight·∂ℓ/∂logp into the same rows of <paramref name="dlogp"/>.
    /// <paramref name="old"/> null means π_old is the current policy, detached (μ = 1: ρ = 1); <paramref name="reference"/>
    /// null means no KL term.
    /// </summary>
    public void Add(ReadOnlySpan<float> logp, Span<float> dlogp, int firstRow, int length, double advantage, double weight,
        float[]? old, float[]? reference, double epsilonLow, double epsilonHigh, double beta)
    {
        for (var j = 0; j < length; j++)
        {
            double current = logp[firstRow + j];
            var t = GrpoLoss.Token(current, old?[j] ?? current, advantage, epsilonLow, epsilonHigh, beta, reference?[j]);
            Loss += weight * t.Loss;
            dlogp[firstRow + j] = (float)(weight * t.DLogp);
            Kl += t.Kl;
            LowClipped += t.LowClipped ? 1 : 0;
            HighClipped += t.HighClipped ? 1 : 0;
            Tokens++;
        }
    }
}
