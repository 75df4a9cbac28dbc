namespace Pipeline.ML.Losses;

/// <summary>
/// The pairwise preference losses of DPO and its variants, per pair and in double, as functions of sequence
/// log-probs: policy and reference, chosen (y_w) and rejected (y_l). The trainer turns the derivatives into per-token
/// gradients (d/d log π(token) = d/d seq-logp, divided by the length where the loss averages).
/// </summary>
public static class DpoLoss
{
    /// <summary>IPO and SimPO compare length-averaged log-probs (TRL: all_logps / loss_mask.sum for "ipo";
    /// average_log_prob for CPOTrainer's "simpo"); DPO and the hinge compare sums.</summary>
    public static bool AveragesLogProbs(DpoLossType type) => type is DpoLossType.Ipo or DpoLossType.SimPO;

    /// <summary>SimPO needs no reference model; the others compare against one.</summary>
    public static bool UsesReference(DpoLossType type) => type != DpoLossType.SimPO;

    /// <param name="labelSmoothing">ε of conservative DPO (cDPO, TRL's label_smoothing): the share of pairs assumed
    /// mislabelled; used by Sigmoid and SimPO.</param>
    /// <param name="simpoGamma">SimPO's target margin γ (TRL's simpo_gamma); the loss is −log σ(β·Δ − γ).</param>
    public static DpoPairLoss Compute(
        DpoLossType type, double beta, double policyChosen, double policyRejected, double refChosen, double refRejected,
        double labelSmoothing = 0, double simpoGamma = 0)
    {
        if (!UsesReference(type))
        {
            (refChosen, refRejected) = (0, 0);
        }
        // h: how much more the policy prefers y_w over y_l than the reference does (for SimPO, than γ/β demands).
        var h = (policyChosen - refChosen) - (policyRejected - refRejected);
        double loss, dh;
        switch (type)
        {
            case DpoLossType.Sigmoid:
                (loss, dh) = Logistic(beta, h, labelSmoothing);
                break;
            case DpoLossType.SimPO:
                (loss, dh) = Logistic(beta, h - simpoGamma / beta, labelSmoothing);
                break;
            case DpoLossType.Hinge:
                loss = Math.Max(0, 1 - beta * h);
                dh = 1 - beta * h > 0 ? -beta : 0;
                break;
            case DpoLossType.Ipo:
                var gap = h - 1 / (2 * beta);
                loss = gap * gap;
                dh = 2 * gap;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "unknown DPO loss type");
        }
        // h rises one-for-one with log π(y_w) and falls with log π(y_l); the rewards are β·(log π − log π_ref).
        return new DpoPairLoss(loss, dh, -dh, beta * (policyChosen - refChosen), beta * (policyRejected - refRejected));
    }

    // −(1−ε)·log σ(βh) − ε·log σ(−βh) and its derivative in h: −(1−ε)·β·σ(−βh) + ε·β·σ(βh).
    private static (double Loss, double DH) Logistic(double beta, double h, double eps)
    {
        var z = beta * h;
        var loss = (1 - eps) * Softplus(-z) + eps * Softplus(z);
        var dh = beta * (-(1 - eps) * Sigmoid(-z) + eps * Sigmoid(z));
        return (loss, dh);
    }

    /// <summary>log(1 + eˣ) = −log σ(−x), without overflow for large |x|.</summary>
    public static double Softplus(double x) => Math.Max(x, 0) + double.LogP1(Math.Exp(-Math.Abs(x)));

    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
}
