namespace Pipeline.Eval.Reports;

/// <summary>One group of bars on its own scale (a metric): one value per series, in series order; null where that
/// series has no value. <paramref name="Note"/> is a small line under the label ("lower is better").</summary>
public sealed record ChartPanel(string Label, IReadOnlyList<ChartValue?> Values, string? Note = null);
