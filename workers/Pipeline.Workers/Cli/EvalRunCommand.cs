using System.CommandLine;
using System.Globalization;
using Pipeline.Eval.Reports;
using Pipeline.Eval.Results;
using Pipeline.Eval.Running;
using Pipeline.Eval.Suites;
using Spectre.Console;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline eval run`: evaluate a model (and adapter) on the suites of a YAML file or folder; writes
/// OUT/eval.json, OUT/examples/SUITE.jsonl and OUT/report.md|html (charted beside --baseline when given) and prints
/// every metric with its 95% interval.</summary>
public static class EvalRunCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory (HF layout)", Required = true, HelpName = "DIR" };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA adapter directory", HelpName = "DIR" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json (default: the model's, else the adapter's)", HelpName = "FILE" };
        var suites = new Option<string>("--suites") { Description = "Suites YAML file, or a folder of them", Required = true, HelpName = "FILE|DIR" };
        var data = new Option<string?>("--data") { Description = "Dataset version folder the suites' dataset paths are relative to (its manifest.json is cited)", HelpName = "DIR" };
        var output = new Option<string>("--out") { Description = "Run folder: eval.json and examples/", Required = true, HelpName = "DIR" };
        var only = new Option<string[]>("--suite") { Description = "Run only this suite (repeatable)", HelpName = "NAME" };
        var limit = new Option<int?>("--limit") { Description = "At most N rows per suite (a quick look)" };
        var reference = new Option<string?>("--reference") { Description = "Reference model for implicit-reward preference suites (default: the model without its adapter)", HelpName = "DIR" };
        var rewardModel = new Option<string?>("--reward-model") { Description = "Reward model directory for reward_model preference suites", HelpName = "DIR" };
        var train = new Option<string[]>("--train") { Description = "Training file to check every eval set against (repeatable; default: the manifest's training files)", HelpName = "FILE" };
        var noContamination = new Option<bool>("--no-contamination") { Description = "Skip the contamination check" };
        var samples = new Option<int>("--bootstrap-samples") { Description = "Bootstrap resamples per metric (0: no intervals)", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Bootstrap seed", DefaultValueFactory = _ => 0UL };
        var threads = new Option<int>("--threads") { Description = "CPU threads (default: all cores)" };
        var baseline = new Option<string?>("--baseline") { Description = "An earlier run to chart beside this one in report.md/report.html", HelpName = "RUN" };
        var cmd = new Command("run", "Evaluate a model on eval suites: per-example results and metrics with bootstrap 95% intervals")
        {
            model, adapter, tokenizer, suites, data, output, only, limit, reference, rewardModel, train, noContamination, samples, seed, threads,
            baseline,
        };
        cmd.SetAction(p =>
        {
            if (p.GetValue(threads) is > 0 and var t)
            {
                ML.Compute.CpuParallel.Threads = t;
            }
            if (p.GetValue(samples) < 0 || p.GetValue(limit) is < 1)
            {
                throw new UsageException("--bootstrap-samples must be ≥ 0 and --limit ≥ 1");
            }
            var suitesPath = p.GetValue(suites)!;
            var compareTo = p.GetValue(baseline) is { } b ? EvalReport.Load(b) : null;
            var selected = Select(SuiteFile.Load(suitesPath), p.GetValue(only) ?? []);
            var rm = p.GetValue(rewardModel) is { } rmDir ? RewardModelDir.Load(rmDir, $"--reward-model {rmDir}").Reward : null;
            var target = EvalTarget.Load(p.GetValue(model)!, p.GetValue(adapter), p.GetValue(tokenizer), p.GetValue(reference), rm);
            var report = EvalRunner.Run(target, selected, new EvalRunOptions
            {
                OutDir = p.GetValue(output)!,
                DataDir = p.GetValue(data),
                Bootstrap = new BootstrapSettings(p.GetValue(samples), p.GetValue(seed), 0.95),
                Limit = p.GetValue(limit),
                TrainFiles = p.GetValue(train) ?? [],
                SkipContamination = p.GetValue(noContamination),
                SuitesFile = suitesPath,
                Progress = line => Console.Error.WriteLine(line),
            });
            ReportFiles.WriteRun(p.GetValue(output)!, report, compareTo);
            CliOutput.Render(Table(report));
            Console.WriteLine($"wrote {Path.Combine(p.GetValue(output)!, EvalReport.FileName)}, examples/, report.md and report.html ({report.ModelSha256})");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static IReadOnlyList<SuiteDefinition> Select(IReadOnlyList<SuiteDefinition> all, string[] names)
    {
        var unknown = names.Where(n => all.All(s => s.Name != n)).ToList();
        return unknown.Count > 0
            ? throw new UsageException($"--suite: no suite named {string.Join(", ", unknown)}; the file declares {string.Join(", ", all.Select(s => s.Name))}")
            : names.Length == 0 ? all : [.. all.Where(s => names.Contains(s.Name))];
    }

    private static Table Table(EvalReport report)
    {
        var table = new Table().AddColumns("suite", "axis", "metric", "value", "95% interval", "n");
        foreach (var suite in report.Suites)
        {
            foreach (var (name, m) in suite.Metrics)
            {
                table.AddTextRow(suite.Name, suite.Axis, name, Format(m.Value), m.Lower is { } lo ? $"[{Format(lo)}, {Format(m.Upper!.Value)}]" : "",
                    m.N.ToString(CultureInfo.InvariantCulture));
            }
        }
        return table;
    }

    private static string Format(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}
