namespace Pipeline.Eval.Gates;

/// <summary>
/// A min_lift rule's paired bootstrap (<see cref="Metrics.Bootstrap.PairedDifference"/>) over the examples both runs
/// share. <see cref="Delta"/>, <see cref="Lower"/>, <see cref="Upper"/> are candidate − baseline as the bootstrap
/// returns them; the Lift fields are the same turned into the metric's good direction (negated for lower-is-better).
/// </summary>
/// <param name="Significant">The lift's interval lies above 0: <see cref="LiftLower"/> &gt; 0.</param>
public sealed record SignificanceResult(
    double Delta,
    double Lower,
    double Upper,
    double Lift,
    double LiftLower,
    double LiftUpper,
    int Pairs,
    int Samples,
    ulong Seed,
    double Confidence,
    bool Significant);
