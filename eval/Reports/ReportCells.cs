using System.Globalization;
using Pipeline.Eval.Gates;

namespace Pipeline.Eval.Reports;

/// <summary>The texts every report format shares (terminal, Markdown, HTML), so they say the same thing the same way.</summary>
internal static class ReportCells
{
    public static string Verdict(GateDecision d) => d.Passed ? "PASS" : "BLOCKED";

    public static string Result(RuleOutcome o) => o.Passed ? "PASS" : "FAIL";

    /// <summary>"All 7 rules passed" / "2 of 7 rules failed".</summary>
    public static string Summary(GateDecision d) => d.Passed
        ? $"all {d.Rules.Count} rules passed"
        : $"{d.FailedRules.Count} of {d.Rules.Count} rules failed";

    /// <summary>Δ, with the paired-bootstrap interval of the difference when the rule asked for significance.</summary>
    public static string Delta(RuleOutcome o)
    {
        var delta = o.Delta is { } d ? GateText.Signed(d) : "";
        return o.Significance is { } s ? $"{delta} [{GateText.Signed(s.Lower)}, {GateText.Signed(s.Upper)}]" : delta;
    }

    // Model hashes carry a "sha256:" prefix; the 12 digits shown are the hash's own.
    public static string Short(string? sha256) => sha256?.Replace("sha256:", "", StringComparison.Ordinal) is { Length: > 12 } s ? s[..12] : sha256 ?? "";

    public static string Time(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Confidence(double c) => (c * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>The facts naming a run, as (label, value) pairs; empty values left out.</summary>
    public static IEnumerable<(string Label, string Value)> Facts(RunIdentity r)
    {
        var facts = new (string, string?)[]
        {
            ("model", r.Model),
            ("adapter", r.Adapter),
            ("weights sha256", r.ModelSha256),
            ("dataset", r.Dataset is { } ds ? $"{ds.Name}@{ds.Version}" : null),
            ("report", r.ReportPath),
            ("report sha256", r.ReportSha256),
        };
        return facts.Where(f => !string.IsNullOrEmpty(f.Item2)).Select(f => (f.Item1, f.Item2!));
    }
}
