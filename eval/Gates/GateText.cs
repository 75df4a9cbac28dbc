using System.Globalization;
using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Gates;

/// <summary>How gates write numbers, thresholds and reasons — the same words in decision.json, the terminal table and
/// the reports.</summary>
public static class GateText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Three decimals for rates, fewer for large values (perplexity, lengths).</summary>
    public static string Number(double v) => !double.IsFinite(v) ? "n/a"
        : Math.Abs(v) >= 1000 ? v.ToString("0", Inv)
        : Math.Abs(v) >= 100 ? v.ToString("0.0", Inv)
        : v.ToString("0.000", Inv);

    /// <summary>With a sign; values within <see cref="GateEvaluator.Tolerance"/> of 0 read as +0.</summary>
    public static string Signed(double v) => !double.IsFinite(v) ? "n/a"
        : Math.Abs(v) < GateEvaluator.Tolerance ? "+" + Number(0)
        : (v > 0 ? "+" : "-") + Number(Math.Abs(v));

    public static string Number(double? v) => v is { } d ? Number(d) : "";

    /// <summary>"[0.812, 0.901]", or empty when the run computed no interval.</summary>
    public static string Interval(double? lower, double? upper) =>
        lower is { } lo && upper is { } hi && double.IsFinite(lo) && double.IsFinite(hi) ? $"[{Number(lo)}, {Number(hi)}]" : "";

    /// <summary>"0.858 [0.812, 0.901]".</summary>
    public static string WithInterval(MetricResult? m) =>
        m is null ? "" : (Number(m.Value) + " " + Interval(m.Lower, m.Upper)).TrimEnd();

    /// <summary>The threshold as a condition: "≥ 0.400", "≤ 0", "lift ≥ +0.050, significant", "regression ≤ 0.030".</summary>
    public static string Threshold(RuleKind kind, double threshold, bool significant) => kind switch
    {
        RuleKind.Min => $"≥ {Number(threshold)}",
        RuleKind.Max => $"≤ {Number(threshold)}",
        RuleKind.MinLift => $"lift ≥ {Signed(threshold)}" + (significant ? ", significant" : ""),
        _ => $"regression ≤ {Number(threshold)}",
    };

    public static string Threshold(RuleOutcome o) => Threshold(o.Kind, o.Threshold, o.Significant);

    /// <summary>One line saying why a rule passed or failed, e.g. "in_domain/accuracy 0.858 ≥ floor 0.400 (margin +0.458)".</summary>
    internal static string Reason(GateRule rule, MetricResult cand, MetricResult? bas, double margin, bool holds, SignificanceResult? sig)
    {
        var m = rule.Metric;
        var c = Number(cand.Value);
        var tail = $" (margin {Signed(margin)})";
        switch (rule.Kind)
        {
            case RuleKind.Min:
                return $"{m} {c} {(holds ? "≥" : "<")} floor {Number(rule.Threshold)}{tail}";
            case RuleKind.Max:
                return $"{m} {c} {(holds ? "≤" : ">")} ceiling {Number(rule.Threshold)}{tail}";
        }
        var change = $"{Number(bas!.Value)} → {c}" + (rule.Direction == MetricDirection.LowerIsBetter ? ", lower is better" : "");
        var lift = rule.Sign * (cand.Value - bas.Value);
        if (rule.Kind == RuleKind.MinLift)
        {
            var text = $"{m} lift {Signed(lift)} ({change}) {(holds ? "≥" : "<")} required {Signed(rule.Threshold)}{tail}";
            return sig is null ? text : text + "; " + Significance(sig);
        }
        var moved = Math.Abs(lift) < GateEvaluator.Tolerance ? $"unchanged ({change})"
            : lift > 0 ? $"improved {Number(lift)} ({change})"
            : $"regressed {Number(-lift)} ({change})";
        return $"{m} {moved}, {(holds ? "within" : "beyond")} allowed regression {Number(rule.Threshold)}{tail}";
    }

    private static string Significance(SignificanceResult s)
    {
        var ci = $"{Percent(s.Confidence)} CI of the lift [{Signed(s.LiftLower)}, {Signed(s.LiftUpper)}] over {s.Pairs} paired examples";
        return s.Significant ? ci + " lies above 0" : ci + " does not lie above 0: not significant";
    }

    private static string Percent(double confidence) => (confidence * 100).ToString("0.#", Inv) + "%";
}
