using Pipeline.Eval.Results;

namespace Pipeline.Eval.Gates;

/// <summary>
/// Decides a <see cref="GatePolicy"/> for a candidate eval run (against a baseline run for relative rules). Every rule
/// becomes a signed margin — how far inside its threshold the candidate is — and holds when the margin is ≥ −<see
/// cref="Tolerance"/>. Anything that keeps a rule from being judged (a missing metric, a metric without a value, no
/// baseline for a relative rule, missing per-example files) throws <see cref="GateException"/>: a gate that cannot
/// decide never passes.
/// </summary>
public static class GateEvaluator
{
    /// <summary>
    /// Slack on margins, so that thresholds written in decimal compare as a person reads them: 0.30 − 0.25 is
    /// 0.04999999999999999 in binary floating point and must meet <c>min_lift: 0.05</c>. Metrics are means and ratios
    /// over at most millions of examples, so real differences are far larger than 1e-9.
    /// </summary>
    public const double Tolerance = 1e-9;

    /// <param name="decidedAt">The decision's timestamp; now (UTC) when not given — tests pass a fixed one.</param>
    public static GateDecision Decide(GatePolicy policy, EvalReport candidate, EvalReport? baseline, DateTimeOffset? decidedAt = null)
    {
        var outcomes = policy.Rules.Select(r => RuleCheck.Evaluate(policy, r, candidate, baseline)).ToList();
        var axes = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var o in outcomes)
        {
            axes[o.Axis] = axes.GetValueOrDefault(o.Axis, true) && o.Passed;
        }
        var failed = outcomes.Where(o => !o.Passed).Select(o => o.Name).ToList();
        return new GateDecision
        {
            Verdict = failed.Count == 0 ? GateVerdict.Pass : GateVerdict.Blocked,
            Policy = PolicyIdentity.Of(policy),
            DecidedAt = decidedAt ?? DateTimeOffset.UtcNow,
            Candidate = RunIdentity.Of(candidate),
            Baseline = baseline is null ? null : RunIdentity.Of(baseline),
            Rules = outcomes,
            FailedRules = failed,
            Axes = axes,
        };
    }

    /// <summary>An error that names the policy file and line, the rule by index and name, then what went wrong.</summary>
    internal static GateException Error(GatePolicy policy, GateRule rule, string message) =>
        new($"{policy.Path}:{rule.Line}: rules[{rule.Index}] \"{rule.Name}\": {message}");

    /// <summary>How errors name a report: "the baseline report (runs/base/eval.json)".</summary>
    internal static string Describe(EvalReport report, string role) =>
        report.Directory is { } dir ? $"the {role} report ({Path.Combine(dir, EvalReport.FileName)})" : $"the {role} report (model {report.Model})";
}
