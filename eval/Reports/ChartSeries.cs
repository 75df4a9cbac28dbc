namespace Pipeline.Eval.Reports;

/// <summary>A series of a bar chart (e.g. baseline, candidate): its legend name and its bars' fill colour.</summary>
public sealed record ChartSeries(string Name, string Color);
