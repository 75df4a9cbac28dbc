using Pipeline.ML.Models;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Training;

/// <summary>
/// π_ref for GRPO's KL term, built only when β &gt; 0. With an active LoRA adapter the reference is the same model with
/// the adapter switched off for the forward pass (no second copy: the base weights are frozen anyway). Training all
/// weights, it is a frozen copy of the initial weights, taken at construction: one more set of base weights in memory
/// (no gradients or optimiser moments), e.g. 4 bytes × parameters.
/// </summary>
internal sealed class GrpoReference
{
    private readonly LlamaModel _policy;
    private readonly LlamaModel? _copy;

    public GrpoReference(LlamaModel policy)
    {
        _policy = policy;
        if (policy.ActiveAdapter is null)
        {
            _copy = new LlamaModel(policy.Config, policy.Ops);
            foreach (var (from, to) in policy.BaseParameters.Zip(_copy.BaseParameters))
            {
                from.Value.Span.CopyTo(to.Value.Span);
            }
        }
    }

    /// <summary>True when the reference is a frozen copy (full-weight training), false when it is the adapter-less policy.</summary>
    public bool IsCopy => _copy is not null;

    /// <summary>Per-row log-probabilities of <paramref name="batch"/>'s targets under π_ref, into <paramref name="logp"/> (B·T).</summary>
    public void LogProbs(TokenBatch batch, LlamaActivations acts, Tensor logp)
    {
        if (_copy is not null)
        {
            _copy.Forward(batch, acts);
            _copy.Ops.TokenLogProbs(acts.Logits, batch.Targets, logp);
            return;
        }
        var adapter = _policy.ActiveAdapter!.Name;
        _policy.SetActiveAdapter(null);
        try
        {
            _policy.Forward(batch, acts);
            _policy.Ops.TokenLogProbs(acts.Logits, batch.Targets, logp);
        }
        finally
        {
            _policy.SetActiveAdapter(adapter);
        }
    }
}
