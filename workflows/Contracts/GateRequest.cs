namespace Pipeline.Workflows.Contracts;

/// <summary>Decide a gate policy on a candidate's eval run against a baseline's.</summary>
/// <param name="Gate">The run's name for this gate (gate_sft, gate_preference, gate_deploy).</param>
/// <param name="Policy">The policy file's name (eval/policies/NAME.yaml).</param>
public sealed record GateRequest(string Gate, string Policy, string CandidateRunDigest, string? BaselineRunDigest, string WorkflowId);
