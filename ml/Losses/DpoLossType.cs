namespace Pipeline.ML.Losses;

/// <summary>The preference loss a <see cref="DpoLoss"/> computes (TRL's <c>loss_type</c>).</summary>
public enum DpoLossType
{
    /// <summary>DPO's −log σ(β·h), h the policy's log-ratio margin over the reference's (Rafailov et al. 2023,
    /// https://arxiv.org/abs/2305.18290, eq. 7); TRL's "sigmoid". Sequence log-probs are sums over the completion.</summary>
    Sigmoid,

    /// <summary>The SLiC-style hinge max(0, 1 − β·h) (Zhao et al. 2023, https://arxiv.org/abs/2305.10425); TRL's "hinge".</summary>
    Hinge,

    /// <summary>IPO's squared loss (h − 1/(2β))², β the paper's τ (Azar et al. 2023, https://arxiv.org/abs/2310.12036, eq. 17).
    /// As TRL does, h is built from length-averaged log-probs, which keeps 1/(2β) on the scale of one token.</summary>
    Ipo,

    /// <summary>SimPO's reference-free −log σ(β·(avg log π(y_w) − avg log π(y_l)) − γ) (Meng et al. 2024,
    /// https://arxiv.org/abs/2405.14734, eq. 6); TRL's CPOTrainer with loss_type "simpo". No reference model.</summary>
    SimPO,
}
