using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Reports;

/// <summary>A suite as reports show it: its axis, example count and every metric either run has, candidate first.</summary>
internal sealed record SuiteRows(string Name, string Axis, int Examples, IReadOnlyList<MetricRow> Metrics)
{
    /// <summary>The candidate's suites in its order, then any only the baseline has; metrics likewise.</summary>
    public static IReadOnlyList<SuiteRows> Compare(EvalReport candidate, EvalReport? baseline)
    {
        var names = candidate.Suites.Select(s => s.Name)
            .Concat(baseline?.Suites.Select(s => s.Name) ?? [])
            .Distinct(StringComparer.Ordinal);
        return [.. names.Select(name =>
        {
            var c = candidate.Suite(name);
            var b = baseline?.Suite(name);
            var metrics = (c?.Metrics.Keys ?? []).Concat(b?.Metrics.Keys ?? []).Distinct(StringComparer.Ordinal);
            return new SuiteRows(name, (c ?? b)!.Axis, (c ?? b)!.Examples, [.. metrics.Select(m => new MetricRow(
                m,
                MetricCatalog.Find(m)?.Direction ?? MetricDirection.Neutral,
                b?.Metrics.GetValueOrDefault(m),
                c?.Metrics.GetValueOrDefault(m)))]);
        })];
    }
}
