namespace Pipeline.Infra.Contracts;

/// <summary>An evaluation gate decided about a candidate model.</summary>
/// <param name="WorkflowId">The workflow that ran the gate.</param>
/// <param name="Gate">Gate name, e.g. <c>base</c> or <c>safety</c>.</param>
/// <param name="Verdict">Passed or failed.</param>
/// <param name="DecisionDigest">Digest of the decision artifact (scores, thresholds, report) in the artifact store.</param>
/// <param name="DecidedAt">When the gate decided.</param>
public sealed record GateDecided(
    string WorkflowId,
    string Gate,
    GateVerdict Verdict,
    string DecisionDigest,
    DateTimeOffset DecidedAt);
