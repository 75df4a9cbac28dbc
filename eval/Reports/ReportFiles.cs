using Pipeline.Eval.Gates;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Reports;

/// <summary>Writes a report folder: <c>decision.json</c> (gates only), <c>report.md</c> and <c>report.html</c>.</summary>
public static class ReportFiles
{
    public const string Markdown = "report.md";
    public const string Html = "report.html";

    public static void WriteGate(string directory, GateDecision decision, EvalReport candidate, EvalReport? baseline)
    {
        Directory.CreateDirectory(directory);
        decision.Save(Path.Combine(directory, GateDecision.FileName));
        Write(Path.Combine(directory, Markdown), MarkdownReport.Gate(decision, candidate, baseline));
        Write(Path.Combine(directory, Html), HtmlReport.Gate(decision, candidate, baseline));
    }

    /// <summary>One eval run (its eval.json already exists), beside a baseline when one is given.</summary>
    public static void WriteRun(string directory, EvalReport run, EvalReport? baseline = null)
    {
        Directory.CreateDirectory(directory);
        Write(Path.Combine(directory, Markdown), MarkdownReport.Run(run, baseline));
        Write(Path.Combine(directory, Html), HtmlReport.Run(run, baseline));
    }

    /// <summary>Writes a file whole or not at all (a temporary file, then a rename).</summary>
    public static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
