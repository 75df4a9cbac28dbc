using Pipeline.Eval.Results;

namespace Pipeline.Eval.Gates;

/// <summary>Judges one rule: looks its metric up in both runs, computes the margin, runs the significance test when
/// asked, and writes the reason.</summary>
internal static class RuleCheck
{
    public static RuleOutcome Evaluate(GatePolicy policy, GateRule rule, EvalReport candidate, EvalReport? baseline)
    {
        var cand = Value(policy, rule, candidate, "candidate");
        MetricResult? bas;
        if (rule.IsRelative)
        {
            bas = baseline is null
                ? throw GateEvaluator.Error(policy, rule, $"{GateRule.KindName(rule.Kind)} compares {rule.Metric} with a baseline, and no baseline report was given")
                : Value(policy, rule, baseline, "baseline");
        }
        else
        {
            // Absolute rules only show the baseline's value, when there is one, for context.
            bas = baseline?.Metric(rule.Metric) is { } m && double.IsFinite(m.Value) ? m : null;
        }
        double? delta = bas is null ? null : cand.Value - bas.Value;
        var margin = rule.Kind switch
        {
            RuleKind.Min => cand.Value - rule.Threshold,
            RuleKind.Max => rule.Threshold - cand.Value,
            RuleKind.MinLift => rule.Sign * delta!.Value - rule.Threshold,
            // allowed worsening − actual worsening, where worsening = −sign · delta
            _ => rule.Threshold - (-rule.Sign * delta!.Value),
        };
        var holds = margin >= -GateEvaluator.Tolerance;
        var significance = rule.Significant ? SignificanceTest.Run(policy, rule, candidate, baseline!) : null;
        return new RuleOutcome
        {
            Index = rule.Index,
            Name = rule.Name,
            Metric = rule.Metric,
            Axis = rule.Axis ?? candidate.Suite(rule.Suite)!.Axis,
            Kind = rule.Kind,
            Threshold = rule.Threshold,
            Direction = rule.Direction,
            Significant = rule.Significant,
            Candidate = cand,
            Baseline = bas,
            Delta = delta,
            Margin = margin,
            Significance = significance,
            Passed = holds && (significance?.Significant ?? true),
            Reason = GateText.Reason(rule, cand, bas, margin, holds, significance),
        };
    }

    /// <summary>The metric's result in one run; an error when the suite or metric is missing or has no value.</summary>
    private static MetricResult Value(GatePolicy policy, GateRule rule, EvalReport report, string role)
    {
        var where = GateEvaluator.Describe(report, role);
        if (report.Suite(rule.Suite) is not { } suite)
        {
            throw GateEvaluator.Error(policy, rule,
                $"{rule.Metric} is missing from {where}: no suite \"{rule.Suite}\" (it has {List(report.Suites.Select(s => s.Name))})");
        }
        if (!suite.Metrics.TryGetValue(rule.MetricName, out var m))
        {
            throw GateEvaluator.Error(policy, rule,
                $"{rule.Metric} is missing from {where}: suite \"{suite.Name}\" has no metric \"{rule.MetricName}\" (it has {List(suite.Metrics.Keys)})");
        }
        return double.IsFinite(m.Value)
            ? m
            : throw GateEvaluator.Error(policy, rule, $"{rule.Metric} has no value in {where} (no example carries its inputs; n = {m.N})");
    }

    private static string List(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "none";
}
