namespace Pipeline.Workflows.Contracts;

/// <summary>An evaluation: the digest of its run folder (eval.json, examples/, report.md|html) and its headline metrics
/// keyed <c>suite/metric</c> (e.g. <c>in_domain/accuracy</c>).</summary>
public sealed record EvalResult(string RunDigest, IReadOnlyDictionary<string, double> Metrics, string? TrackingRunId);
