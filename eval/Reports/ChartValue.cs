namespace Pipeline.Eval.Reports;

/// <summary>One bar: a value and, when known, its confidence interval, drawn as a whisker from lower to upper.</summary>
public sealed record ChartValue(double Value, double? Lower = null, double? Upper = null);
