using System.CommandLine;
using System.Diagnostics;
using Pipeline.Eval.Datasets;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline dataset validate PATH [--kind K]`: every problem of a dataset version folder (against its
/// manifest, each file by its declared format) or of one JSONL/text file, one `FILE:LINE: what is wrong` per line.
/// Exit 0 when valid, 1 when there are problems, 2 when the path or flags are wrong.</summary>
public static class DatasetValidateCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A dataset version folder, or one .jsonl/.txt file" };
        var kind = new Option<string?>("--kind") { Description = "A single file's kind when it cannot be inferred: sft, preference, prompts, eval or text", HelpName = "KIND" };
        var cmd = new Command("validate", "Check a dataset version or file; list every problem as FILE:LINE") { path, kind };
        cmd.SetAction(p =>
        {
            var target = p.GetValue(path)!;
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                throw new UsageException($"{target}: no such file or folder");
            }
            DatasetKind? k = p.GetValue(kind) is { } name
                ? Enum.TryParse<DatasetKind>(name, ignoreCase: true, out var parsed) && name.All(char.IsLetter) ? parsed
                    : throw new UsageException($"--kind must be sft, preference, prompts, eval or text, got '{name}'")
                : null;
            var clock = Stopwatch.StartNew();
            var problems = DatasetValidator.Validate(target, k);
            foreach (var problem in problems)
            {
                Console.WriteLine(problem);
            }
            Console.Error.WriteLine(problems.Count == 0
                ? $"{target}: valid ({clock.Elapsed.TotalSeconds:0.0} s)"
                : $"{target}: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}");
            return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return cmd;
    }
}
