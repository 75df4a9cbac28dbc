using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Eval.Contamination;
using Spectre.Console;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline eval contamination`: which eval examples also occur in training data. Exit 0 when none do, 1
/// when any eval file has a contaminated example, 2 on bad flags or input files.</summary>
public static class EvalContaminationCommand
{
    private const int SamplesShown = 5;

    public static Command Create()
    {
        var defaults = new ContaminationOptions();
        var train = new Option<string[]>("--train") { Description = "Training file(s): JSONL (messages, prompt/completion, preference, text) or .txt", Required = true, HelpName = "FILE", AllowMultipleArgumentsPerToken = true };
        var eval = new Option<string[]>("--eval") { Description = "Eval file(s) whose prompts are checked: JSONL or .txt", Required = true, HelpName = "FILE", AllowMultipleArgumentsPerToken = true };
        var ngram = new Option<int>("--ngram") { Description = "Words per n-gram; shorter texts are compared whole", DefaultValueFactory = _ => defaults.NGram };
        var threshold = new Option<double>("--threshold") { Description = "Share of an example's n-grams found in training that makes it contaminated", DefaultValueFactory = _ => defaults.Threshold };
        var output = new Option<string?>("--out") { Description = "Write the report as JSON", HelpName = "FILE" };
        var cmd = new Command("contamination", "Check eval sets for n-gram overlap with training sets")
        {
            train, eval, ngram, threshold, output,
        };
        cmd.SetAction(p =>
        {
            var options = new ContaminationOptions { NGram = p.GetValue(ngram), Threshold = p.GetValue(threshold) };
            try { options.Validate(); }
            catch (ArgumentException e) { throw new UsageException($"--{e.Message}"); }
            var clock = Stopwatch.StartNew();
            var report = new ContaminationChecker(options).Check(p.GetValue(train)!, p.GetValue(eval)!);
            CliOutput.Render(Table(report));
            foreach (var sample in report.Eval.SelectMany(e => e.Samples.Take(SamplesShown).Select(s => (e.File, Sample: s))))
                Console.Out.WriteLine($"  {sample.File}:{sample.Sample.EvalLine} (id {sample.Sample.EvalId}) ← {sample.Sample.TrainFile}:{sample.Sample.TrainLine}: \"{CliOutput.Truncate(sample.Sample.Text, 100)}\"");
            if (p.GetValue(output) is { } path)
            {
                report.Save(path);
                Console.Error.WriteLine($"wrote {path}");
            }
            Console.Error.WriteLine($"checked {report.Eval.Sum(e => e.Examples)} eval examples against {report.Train.Sum(t => t.Rows)} training rows " +
                $"({report.NGram}-grams, threshold {report.Threshold.ToString(CultureInfo.InvariantCulture)}) in {clock.Elapsed.TotalSeconds:F1} s");
            return report.AnyContaminated ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return cmd;
    }

    private static Table Table(ContaminationReport report)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("EVAL FILE", "EXAMPLES", "CONTAMINATED", "RATE");
        foreach (var e in report.Eval)
            table.AddTextRow(e.File, $"{e.Examples}", $"{e.Contaminated}", double.IsNaN(e.Rate) ? "-" : e.Rate.ToString("P1", CultureInfo.InvariantCulture));
        return table;
    }
}
