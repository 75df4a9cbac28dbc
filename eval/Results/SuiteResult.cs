namespace Pipeline.Eval.Results;

/// <summary>One suite of an eval run: which data it read, how long it took, its metrics by name and where its
/// per-example results are (a path relative to the run's <c>eval.json</c>).</summary>
public sealed record SuiteResult
{
    public required string Name { get; init; }

    /// <summary>The axis gates group it under: in_domain, ood, refusal, calibration, regression, quality, preference…</summary>
    public required string Axis { get; init; }

    public required string Task { get; init; }

    public required string Dataset { get; init; }

    public string? DatasetSha256 { get; init; }

    public int Examples { get; init; }

    public required string ExamplesFile { get; init; }

    public double DurationSeconds { get; init; }

    public required IReadOnlyDictionary<string, MetricResult> Metrics { get; init; }
}
