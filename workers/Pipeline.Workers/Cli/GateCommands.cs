using System.CommandLine;
using Pipeline.Eval.Gates;
using Pipeline.Eval.Reports;
using Pipeline.Eval.Results;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline gate check`: decide a gate policy for a candidate eval run against a baseline, as a CI deploy
/// gate — exit 0 pass, 1 blocked, 2 when it cannot be decided (bad policy, missing metric, unreadable report).</summary>
public static class GateCommands
{
    public static Command Create()
    {
        var gate = new Command("gate", "Eval gates: block a candidate model that breaks a policy's rules");
        gate.Subcommands.Add(Check());
        return gate;
    }

    private static Command Check()
    {
        var candidate = new Option<string>("--candidate") { Description = "Candidate eval run: its folder or eval.json", Required = true, HelpName = "RUN" };
        var baseline = new Option<string?>("--baseline") { Description = "Baseline eval run (required when the policy has min_lift or max_regression rules)", HelpName = "RUN" };
        var policy = new Option<string>("--policy") { Description = "Gate policy YAML (eval/README.md, \"Gates\")", Required = true, HelpName = "FILE" };
        var output = new Option<string?>("--out") { Description = "Write decision.json, report.md and report.html here (default: no files)", HelpName = "DIR" };
        var summary = new Option<string?>("--summary") { Description = "Append the Markdown report to this file, e.g. \"$GITHUB_STEP_SUMMARY\"", HelpName = "FILE" };
        var html = new Option<string?>("--html") { Description = "Also write the HTML report to this file", HelpName = "FILE" };
        var cmd = new Command("check", "Decide a gate policy: print the rules table; exit 0 pass, 1 blocked, 2 error")
        {
            candidate, baseline, policy, output, summary, html,
        };
        cmd.SetAction(p =>
        {
            var rules = GatePolicy.Load(p.GetValue(policy)!);
            var cand = EvalReport.Load(Existing(p.GetValue(candidate)!, "--candidate"));
            var bas = p.GetValue(baseline) is { } b ? EvalReport.Load(Existing(b, "--baseline")) : null;
            var decision = GateEvaluator.Decide(rules, cand, bas);

            // Files first: a CI step that is blocked still needs its decision and reports as artifacts. A file that
            // cannot be written is exit 2, not 1: CI must not read "could not write" as "blocked".
            try
            {
                if (p.GetValue(output) is { } dir)
                {
                    ReportFiles.WriteGate(dir, decision, cand, bas);
                }
                if (p.GetValue(html) is { } htmlFile)
                {
                    ReportFiles.Write(htmlFile, HtmlReport.Gate(decision, cand, bas));
                }
                if (p.GetValue(summary) is { } summaryFile)
                {
                    // GitHub's step summary is shared by the job's steps: append, never overwrite.
                    File.AppendAllText(summaryFile, MarkdownReport.Gate(decision, cand, bas) + "\n");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot write the gate's reports: {e.Message}", e);
            }
            Console.Out.Write(TextReport.Gate(decision));
            return decision.Passed ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return cmd;
    }

    private static string Existing(string path, string flag) =>
        File.Exists(path) || Directory.Exists(path) ? path : throw new UsageException($"{flag}: {path} does not exist (expected an eval run folder or its eval.json)");
}
