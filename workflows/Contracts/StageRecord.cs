namespace Pipeline.Workflows.Contracts;

/// <summary>One stage of a run as the summary table shows it.</summary>
/// <param name="Name">baseline_eval, sft, sft_eval, gate_sft, preferences, grpo|dpo, final_eval, gate_preference,
/// gate_deploy, register, ab_rollout, promote|rollback.</param>
/// <param name="Status">completed, passed, blocked, skipped, promoted, rolled_back, aborted.</param>
/// <param name="Started">Workflow time the stage began.</param>
/// <param name="Seconds">How long it took (workflow time).</param>
/// <param name="Metrics">Its key numbers (eval metrics, training figures, test statistics).</param>
/// <param name="Artifacts">Digests of what it produced (eval run, decision record, adapter, package).</param>
/// <param name="Detail">One line for people: why it passed or was blocked, what was decided.</param>
public sealed record StageRecord(
    string Name,
    string Status,
    DateTime Started,
    double Seconds,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Artifacts,
    string Detail);
