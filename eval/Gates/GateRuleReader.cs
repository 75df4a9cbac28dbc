using System.Globalization;
using Pipeline.Eval.Metrics;
using Pipeline.Eval.Yaml;

namespace Pipeline.Eval.Gates;

/// <summary>Reads one entry of a policy's <c>rules</c>, rejecting anything a gate could misread: unknown keys,
/// unknown metrics, two thresholds or none, negative lifts or regressions, a relative rule on a metric with no
/// better direction.</summary>
internal static class GateRuleReader
{
    private static readonly (string Key, RuleKind Kind)[] Thresholds =
        [("min", RuleKind.Min), ("max", RuleKind.Max), ("min_lift", RuleKind.MinLift), ("max_regression", RuleKind.MaxRegression)];

    public static GateRule Read(YamlMap rule, int index)
    {
        rule.RejectUnknown("name", "metric", "axis", "min", "max", "min_lift", "max_regression", "significant", "direction");
        var metric = rule.RequiredString("metric");
        var slash = metric.IndexOf('/');
        if (slash <= 0 || slash == metric.Length - 1 || metric.IndexOf('/', slash + 1) >= 0)
        {
            throw rule.Error("metric", $"expected SUITE/METRIC (e.g. in_domain/accuracy), found \"{metric}\"");
        }
        var catalog = MetricCatalog.Find(metric[(slash + 1)..])
            ?? throw rule.Error("metric", $"unknown metric \"{metric[(slash + 1)..]}\"; expected one of {string.Join(", ", MetricCatalog.Names)}");

        var given = Thresholds.Where(t => rule.Has(t.Key)).ToList();
        if (given.Count != 1)
        {
            var found = given.Count == 0 ? "none" : string.Join(" and ", given.Select(t => t.Key));
            throw rule.Error(given.Count == 0 ? "metric" : given[1].Key,
                $"expected exactly one of min, max, min_lift, max_regression, found {found}");
        }
        var (key, kind) = given[0];
        var threshold = rule.Double(key)!.Value;
        if (kind is RuleKind.MinLift or RuleKind.MaxRegression && threshold < 0)
        {
            throw rule.Error(key, $"expected a number ≥ 0, found {threshold.ToString(CultureInfo.InvariantCulture)}");
        }

        var significant = rule.Bool("significant") ?? false;
        if (significant && kind != RuleKind.MinLift)
        {
            throw rule.Error("significant", $"only applies to min_lift rules, this one is {key}");
        }
        return new GateRule(
            Index: index,
            Name: rule.String("name") ?? GateRule.DefaultName(metric, kind),
            Metric: metric,
            Kind: kind,
            Threshold: threshold,
            Significant: significant,
            Axis: rule.String("axis"),
            Direction: Direction(rule, catalog, kind),
            Line: rule.Line);
    }

    private static MetricDirection Direction(YamlMap rule, EvalMetric catalog, RuleKind kind)
    {
        MetricDirection? stated = rule.String("direction") switch
        {
            null => null,
            "higher" => MetricDirection.HigherIsBetter,
            "lower" => MetricDirection.LowerIsBetter,
            var d => throw rule.Error("direction", $"expected higher or lower, found \"{d}\""),
        };
        if (catalog.Direction != MetricDirection.Neutral)
        {
            return stated is null || stated == catalog.Direction
                ? catalog.Direction
                : throw rule.Error("direction", $"{catalog.Name} is {Words(catalog.Direction)}; direction may only be set for a metric with no better direction");
        }
        if (stated is null && kind is RuleKind.MinLift or RuleKind.MaxRegression)
        {
            throw rule.Error("direction", $"required for {GateRule.KindName(kind)} on {catalog.Name}, which has no better direction; expected higher or lower");
        }
        return stated ?? MetricDirection.Neutral;
    }

    private static string Words(MetricDirection d) => d == MetricDirection.HigherIsBetter ? "higher-is-better" : "lower-is-better";
}
