namespace Pipeline.Eval.Results;

/// <summary>A metric's value on a suite, with its bootstrap confidence interval and the number of examples it was
/// computed from. Value is NaN (written as null) when no example carries the metric's inputs.</summary>
public sealed record MetricResult(double Value, double? Lower, double? Upper, int N);
