using Pipeline.ML.Losses;

namespace Pipeline.ML.Training;

/// <summary>
/// DPO's own hyperparameters, named after TRL's <c>DPOConfig</c> (and <c>CPOConfig</c> for SimPO's γ); the loop's
/// (steps, batch size in pairs, learning rate, schedule, checkpoints) are a <see cref="TrainingOptions"/>. The
/// reference's log-probs are always precomputed once (TRL's precompute_ref_log_probs=True): the reference is frozen.
/// </summary>
public sealed record DpoOptions
{
    /// <summary>The preference loss (loss_type). Default <see cref="DpoLossType.Sigmoid"/> (DPO).</summary>
    public DpoLossType LossType { get; init; } = DpoLossType.Sigmoid;

    /// <summary>β (beta): the strength of the implicit KL constraint to the reference (DPO, hinge), IPO's τ, or
    /// SimPO's reward scale. Null: 0.1 (TRL's default) for every type but SimPO, and 2.0 for SimPO (the SimPO paper's
    /// setting; TRL's CPOConfig keeps 0.1). Default null.</summary>
    public double? Beta { get; init; }

    /// <summary>SimPO's target reward margin γ (simpo_gamma): the loss is −log σ(β·Δavg − γ). Null: half of β (the
    /// SimPO paper's γ/β = 0.5, i.e. gamma_beta_ratio 0.5). Ignored by the other types. Default null.</summary>
    public double? SimpoGamma { get; init; }

    /// <summary>Weight α of an NLL term on the chosen completion, added to the loss (rpo_alpha; RPO, Pang et al. 2024,
    /// https://arxiv.org/abs/2404.19733): α · mean over the step's chosen tokens of −log π(token). It keeps the chosen
    /// answers likely where plain DPO lowers both. Null: no term. Default null.</summary>
    public double? RpoAlpha { get; init; }

    /// <summary>Conservative DPO's ε (label_smoothing, Mitchell 2023): the assumed share of flipped labels, for the
    /// Sigmoid and SimPO losses; must be in [0, 0.5). Default 0.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>The token id that fills rows after a completion (never scored: right padding under causal attention
    /// changes nothing before it). Default 0.</summary>
    public int PadTokenId { get; init; }

    /// <summary>β as the loss uses it, after the type's default.</summary>
    public double EffectiveBeta => Beta ?? (LossType == DpoLossType.SimPO ? 2.0 : 0.1);

    /// <summary>γ as SimPO uses it, after the default.</summary>
    public double EffectiveSimpoGamma => SimpoGamma ?? 0.5 * EffectiveBeta;

    public void Validate()
    {
        if (!Enum.IsDefined(LossType))
        {
            throw new ArgumentException($"loss_type {(int)LossType} is not one of {string.Join(", ", Enum.GetNames<DpoLossType>())}");
        }
        if (Beta is { } b && !(b > 0 && double.IsFinite(b)))
        {
            throw new ArgumentException($"beta must be a positive number, got {b}");
        }
        if (SimpoGamma is { } g && !(g >= 0 && double.IsFinite(g)))
        {
            throw new ArgumentException($"simpo_gamma must be >= 0, got {g}");
        }
        if (RpoAlpha is { } a && !(a >= 0 && double.IsFinite(a)))
        {
            throw new ArgumentException($"rpo_alpha must be >= 0 or null, got {a}");
        }
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 0.5))
        {
            throw new ArgumentException($"label_smoothing must be in [0, 0.5), got {LabelSmoothing}");
        }
        if (LabelSmoothing > 0 && LossType is DpoLossType.Ipo or DpoLossType.Hinge)
        {
            // TRL ignores it for these types; refusing says so instead of silently training something else.
            throw new ArgumentException($"label_smoothing applies to the sigmoid and simpo losses, not {LossType}");
        }
        if (PadTokenId < 0)
        {
            throw new ArgumentException($"pad_token_id must be >= 0, got {PadTokenId}");
        }
    }
}
