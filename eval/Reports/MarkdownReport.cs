using System.Text;
using Pipeline.Eval.Gates;
using Pipeline.Eval.Results;
using static Pipeline.Eval.Reports.MarkdownText;

namespace Pipeline.Eval.Reports;

/// <summary>
/// <c>report.md</c>: a gate decision (or one eval run) as GitHub-flavoured Markdown, fit for a CI job summary
/// (<c>$GITHUB_STEP_SUMMARY</c>): the verdict, the rules table, the failed rules with their reasons, and per suite a
/// table of metrics with their intervals. Starts with a level-2 heading so several can be appended to one summary.
/// </summary>
public static class MarkdownReport
{
    public static string Gate(GateDecision d, EvalReport candidate, EvalReport? baseline)
    {
        var md = new StringBuilder();
        md.Append($"## Eval gate {Code(d.Policy.Name)}: **{ReportCells.Verdict(d)}**\n\n");
        md.Append($"{char.ToUpperInvariant(ReportCells.Summary(d)[0])}{ReportCells.Summary(d)[1..]}")
            .Append($" — decided {ReportCells.Time(d.DecidedAt)} by policy {Code(d.Policy.Path)} (sha256 {Code(ReportCells.Short(d.Policy.Sha256))}).\n\n");
        Identity(md, "Candidate", d.Candidate);
        if (d.Baseline is { } b)
        {
            Identity(md, "Baseline", b);
        }
        md.Append("- **Axes:** ").AppendJoin(" · ", d.Axes.Select(a => $"{Text(a.Key)} {(a.Value ? "PASS" : "**FAIL**")}")).Append("\n\n");

        md.Append("### Rules\n\n")
            .Append(Header("Rule", "Axis", "Baseline", "Candidate", "Δ", "Threshold", "Margin", "Result")).Append('\n');
        foreach (var o in d.Rules)
        {
            md.Append(Row(Text(o.Name), Text(o.Axis), GateText.WithInterval(o.Baseline), GateText.WithInterval(o.Candidate),
                ReportCells.Delta(o), GateText.Threshold(o), GateText.Signed(o.Margin), o.Passed ? "PASS" : "**FAIL**")).Append('\n');
        }
        md.Append('\n');
        if (!d.Passed)
        {
            md.Append("### Failed rules\n\n");
            foreach (var o in d.Rules.Where(o => !o.Passed))
            {
                md.Append($"- **{Text(o.Name)}** ({Text(o.Axis)}): {Text(o.Reason)}\n");
            }
            md.Append('\n');
        }
        Metrics(md, candidate, baseline);
        return md.ToString();
    }

    /// <summary>One eval run without a gate: its identity and metrics, beside a baseline's when one is given.</summary>
    public static string Run(EvalReport run, EvalReport? baseline = null)
    {
        var md = new StringBuilder();
        var id = RunIdentity.Of(run);
        md.Append($"## Eval report: {Code(id.Label)}\n\n");
        Identity(md, baseline is null ? "Run" : "Candidate", id);
        if (baseline is not null)
        {
            Identity(md, "Baseline", RunIdentity.Of(baseline));
        }
        md.Append('\n');
        Metrics(md, run, baseline);
        return md.ToString();
    }

    private static void Identity(StringBuilder md, string role, RunIdentity r) =>
        md.Append($"- **{role}:** ").AppendJoin(", ", ReportCells.Facts(r).Select(f => $"{f.Label} {Code(f.Label.EndsWith("sha256", StringComparison.Ordinal) ? ReportCells.Short(f.Value) : f.Value)}")).Append('\n');

    private static void Metrics(StringBuilder md, EvalReport candidate, EvalReport? baseline)
    {
        var ci = ReportCells.Confidence(candidate.Bootstrap.Confidence) + " CI";
        md.Append("### Metrics\n\n");
        foreach (var suite in SuiteRows.Compare(candidate, baseline))
        {
            md.Append($"#### {Code(suite.Name)} (axis {Text(suite.Axis)}, {suite.Examples} examples)\n\n");
            md.Append(baseline is null
                ? Header("Metric", "Better", $"Value [{ci}]", "n")
                : Header("Metric", "Better", $"Baseline [{ci}]", $"Candidate [{ci}]", "Δ", "n")).Append('\n');
            foreach (var m in suite.Metrics)
            {
                var n = m.Candidate?.N.ToString() ?? "";
                md.Append(baseline is null
                    ? Row(Code(m.Metric, cell: true), m.Better, GateText.WithInterval(m.Candidate), n)
                    : Row(Code(m.Metric, cell: true), m.Better, GateText.WithInterval(m.Baseline), GateText.WithInterval(m.Candidate),
                        m.Delta is { } d ? GateText.Signed(d) : "", n)).Append('\n');
            }
            md.Append('\n');
        }
    }
}
