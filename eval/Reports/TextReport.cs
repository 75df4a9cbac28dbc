using System.Text;
using Pipeline.Eval.Gates;

namespace Pipeline.Eval.Reports;

/// <summary>A gate decision as plain fixed-width text for the terminal and CI logs: the verdict, what was compared,
/// a table of the rules with PASS/FAIL, and each failed rule's reason.</summary>
public static class TextReport
{
    public static string Gate(GateDecision d)
    {
        var text = new StringBuilder();
        text.Append($"Eval gate {d.Policy.Name}: {ReportCells.Verdict(d)} ({ReportCells.Summary(d)})\n");
        Run(text, "candidate", d.Candidate);
        if (d.Baseline is { } b)
        {
            Run(text, "baseline", b);
        }
        text.Append($"  policy     {d.Policy.Path} (sha256 {ReportCells.Short(d.Policy.Sha256)})\n\n");

        var table = new TextTable("RESULT", "RULE", "AXIS", "BASELINE", "CANDIDATE", "DELTA", "THRESHOLD", "MARGIN");
        foreach (var o in d.Rules)
        {
            table.Add(ReportCells.Result(o), o.Name, o.Axis, GateText.Number(o.Baseline?.Value), GateText.Number(o.Candidate.Value),
                ReportCells.Delta(o), GateText.Threshold(o), GateText.Signed(o.Margin));
        }
        text.Append(table).Append('\n');
        foreach (var o in d.Rules.Where(o => !o.Passed))
        {
            text.Append($"FAIL {o.Name}: {o.Reason}\n");
        }
        text.Append($"verdict: {ReportCells.Verdict(d)}\n");
        return text.ToString();
    }

    private static void Run(StringBuilder text, string role, RunIdentity r) =>
        text.Append($"  {role,-10} {r.Label}").Append(r.ReportPath is { } p ? $" ({p})" : "").Append('\n');
}
