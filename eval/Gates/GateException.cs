namespace Pipeline.Eval.Gates;

/// <summary>A gate could not be decided: a metric missing from a report or without a value, a relative rule with no
/// baseline, per-example files missing for a significance test. Never turned into a pass (the CLI exits 2). The
/// message names the policy file and line, the rule (index and name), the metric and which report.</summary>
public sealed class GateException(string message) : Exception(message);
