using Pipeline.Durable;

namespace Pipeline.Workflows.Contracts;

/// <summary>Evaluation and gates (queue <see cref="RecipeConfig.EvalQueue"/>).</summary>
public interface IEvalActivities
{
    [Activity]
    Task<EvalResult> EvaluateAsync(EvaluateRequest request);

    /// <summary>Decides the policy, stores the decision record and publishes <c>GateDecided</c>.</summary>
    [Activity]
    Task<GateResult> GateAsync(GateRequest request);
}
