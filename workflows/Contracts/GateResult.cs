namespace Pipeline.Workflows.Contracts;

/// <summary>A gate's verdict and where its decision record lives (a folder: decision.json, report.md, report.html).</summary>
public sealed record GateResult(bool Passed, string DecisionDigest, IReadOnlyList<string> FailedRules, string Summary);
