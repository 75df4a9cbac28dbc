namespace Pipeline.Eval.Metrics;

/// <summary>Which way is better for a metric: gates turn "lift" and "regression" into signed margins with it.</summary>
public enum MetricDirection
{
    HigherIsBetter,
    LowerIsBetter,

    /// <summary>Neither (response length): a gate rule must bound it with an absolute min or max.</summary>
    Neutral,
}
