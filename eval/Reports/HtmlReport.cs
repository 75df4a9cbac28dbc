using System.Text;
using Pipeline.Eval.Gates;
using Pipeline.Eval.Results;
using static Pipeline.Eval.Reports.HtmlPage;

namespace Pipeline.Eval.Reports;

/// <summary>
/// <c>report.html</c>: a gate decision (or one eval run) as one self-contained page — verdict banner, the runs and the
/// policy by hash, the rules table, the failed rules, and per suite a metrics table and an SVG chart of baseline vs
/// candidate with their intervals. No scripts and no external URLs, so it opens from a CI artifact as it is.
/// </summary>
public static class HtmlReport
{
    public static readonly ChartSeries BaselineSeries = new("baseline", "#a0aec0");
    public static readonly ChartSeries CandidateSeries = new("candidate", "#2b6cb0");

    public static string Gate(GateDecision d, EvalReport candidate, EvalReport? baseline)
    {
        var verdict = ReportCells.Verdict(d);
        var html = new StringBuilder();
        html.Append($"<header class=\"banner {verdict.ToLowerInvariant()}\"><div class=\"verdict\">{verdict}</div>")
            .Append($"<div>Eval gate {Code(d.Policy.Name)}: {E(ReportCells.Summary(d))}</div></header>\n");
        if (d.Policy.Description is { } description)
        {
            html.Append($"<p class=\"muted\">{E(description)}</p>\n");
        }
        html.Append("<h2>Runs</h2>\n");
        var facts = Facts("Candidate", d.Candidate).Concat(d.Baseline is { } b ? Facts("Baseline", b) : []).Concat(
        [
            (null, ["<strong>Policy</strong>", $"{Code(d.Policy.Path)} sha256 {Code(d.Policy.Sha256)}"]),
            (null, ["<strong>Decided</strong>", E(ReportCells.Time(d.DecidedAt))]),
            (null, ["<strong>Axes</strong>", string.Join(" · ", d.Axes.Select(a => $"{E(a.Key)} {(a.Value ? "PASS" : "<strong>FAIL</strong>")}"))]),
        ]);
        Table(html, "facts", [], facts);

        html.Append("<h2>Rules</h2>\n");
        Table(html, "rules", ["Rule", "Axis", "Baseline", "Candidate", "Δ", "Threshold", "Margin", "Result"],
            d.Rules.Select(o => ((string?)(o.Passed ? null : "fail"), new[]
            {
                $"{E(o.Name)}<br><span class=\"muted\">{E(o.Reason)}</span>", E(o.Axis), E(GateText.WithInterval(o.Baseline)),
                E(GateText.WithInterval(o.Candidate)), E(ReportCells.Delta(o)), E(GateText.Threshold(o)), E(GateText.Signed(o.Margin)),
                $"<span class=\"result {(o.Passed ? "pass" : "fail")}\">{ReportCells.Result(o)}</span>",
            })), 2, 3, 4, 6);
        if (!d.Passed)
        {
            html.Append("<h2>Failed rules</h2>\n<ul>\n");
            foreach (var o in d.Rules.Where(o => !o.Passed))
            {
                html.Append($"<li><strong>{E(o.Name)}</strong> ({E(o.Axis)}): {E(o.Reason)}</li>\n");
            }
            html.Append("</ul>\n");
        }
        Suites(html, candidate, baseline);
        return Document($"Eval gate {d.Policy.Name}: {verdict}", html.ToString());
    }

    /// <summary>One eval run without a gate, beside a baseline's when one is given.</summary>
    public static string Run(EvalReport run, EvalReport? baseline = null)
    {
        var id = RunIdentity.Of(run);
        var html = new StringBuilder();
        html.Append($"<header class=\"banner\"><div class=\"verdict\">Eval report</div><div>{E(id.Label)}</div></header>\n<h2>Runs</h2>\n");
        Table(html, "facts", [], Facts(baseline is null ? "Run" : "Candidate", id)
            .Concat(baseline is null ? [] : Facts("Baseline", RunIdentity.Of(baseline))));
        Suites(html, run, baseline);
        return Document($"Eval report: {id.Label}", html.ToString());
    }

    private static IEnumerable<(string?, string[])> Facts(string role, RunIdentity r) =>
        ReportCells.Facts(r).Select((f, i) => ((string?)null, new[] { i == 0 ? $"<strong>{E(role)}</strong>" : "", $"{E(f.Label)} {Code(f.Value)}" }));

    private static void Suites(StringBuilder html, EvalReport candidate, EvalReport? baseline)
    {
        var ci = ReportCells.Confidence(candidate.Bootstrap.Confidence) + " CI";
        ChartSeries[] series = baseline is null ? [CandidateSeries] : [BaselineSeries, CandidateSeries];
        html.Append("<h2>Metrics</h2>\n");
        foreach (var suite in SuiteRows.Compare(candidate, baseline))
        {
            html.Append($"<div class=\"suite\"><h3>{Code(suite.Name)} <span class=\"muted\">axis {E(suite.Axis)}, {suite.Examples} examples</span></h3>\n");
            string[] header = baseline is null
                ? ["Metric", "Better", $"Value [{ci}]", "n"]
                : ["Metric", "Better", $"Baseline [{ci}]", $"Candidate [{ci}]", "Δ", "n"];
            Table(html, "metrics", header, suite.Metrics.Select(m => ((string?)null, baseline is null
                ? new[] { Code(m.Metric), m.Better, E(GateText.WithInterval(m.Candidate)), $"{m.Candidate?.N}" }
                : [Code(m.Metric), m.Better, E(GateText.WithInterval(m.Baseline)), E(GateText.WithInterval(m.Candidate)),
                    E(m.Delta is { } dv ? GateText.Signed(dv) : ""), $"{m.Candidate?.N}"])), baseline is null ? [2, 3] : [2, 3, 4, 5]);
            var panels = suite.Metrics.Select(m => new ChartPanel(m.Metric, baseline is null
                ? [Bar(m.Candidate)]
                : [Bar(m.Baseline), Bar(m.Candidate)], m.Better.Length > 0 ? $"{m.Better} is better" : null)).ToList();
            html.Append(SvgBarChart.Render($"{suite.Name}: {string.Join(" vs ", series.Select(s => s.Name))} ({ci})", series, panels)).Append("\n</div>\n");
        }
    }

    private static ChartValue? Bar(MetricResult? m) => m is null || !double.IsFinite(m.Value) ? null : new ChartValue(m.Value, m.Lower, m.Upper);
}
