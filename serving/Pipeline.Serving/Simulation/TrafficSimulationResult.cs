namespace Pipeline.Serving.Simulation;

/// <summary>Counts per variant (key "(none)" when no experiment was running), and the feedback posts that succeeded.</summary>
public sealed record TrafficSimulationResult(IReadOnlyDictionary<string, VariantTally> Variants, int FeedbackSent)
{
    public const string NoVariant = "(none)";
}
