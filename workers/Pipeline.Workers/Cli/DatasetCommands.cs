using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Eval.Domain;
using Spectre.Console;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline dataset …`: the demo domain's versioned datasets. `generate` writes one version from a seed; `validate`
/// checks a version or a file.</summary>
public static class DatasetCommands
{
    public static Command Create()
    {
        var dataset = new Command("dataset", "Versioned datasets: generate the demo domain's, validate, publish to the artifact store (and fire the recipe's event), list");
        dataset.Subcommands.Add(Generate());
        dataset.Subcommands.Add(DatasetValidateCommand.Create());
        dataset.Subcommands.Add(DatasetPublishCommand.Create());
        dataset.Subcommands.Add(DatasetListCommand.Create());
        return dataset;
    }

    private static Command Generate()
    {
        var version = new Option<string>("--version")
        {
            Description = $"Dataset version ({string.Join(", ", DemoDatasetVersions.Names)})", DefaultValueFactory = _ => "v1", HelpName = "NAME",
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Seed of the held-out split and every draw (the evals depend on it alone)", DefaultValueFactory = _ => DemoDatasetOptions.DefaultSeed, HelpName = "N",
        };
        var output = new Option<string>("--out") { Description = "Folder to write the version's files and manifest.json to", Required = true, HelpName = "DIR" };
        var corpusLines = new Option<int>("--corpus-lines") { Description = "Lines of the pretraining corpus", DefaultValueFactory = _ => new DemoDatasetOptions().CorpusLines, HelpName = "N" };
        var cmd = new Command("generate", "Write a version of the demo dataset: corpus, SFT, prompts, eval files and manifest.json")
        {
            version, seed, output, corpusLines,
        };
        cmd.SetAction(p =>
        {
            var name = p.GetValue(version)!;
            if (!DemoDatasetVersions.Exists(name))
            {
                throw new UsageException($"--version: unknown dataset version '{name}'; known versions: {string.Join(", ", DemoDatasetVersions.Names)}");
            }
            if (p.GetValue(corpusLines) < 1)
            {
                throw new UsageException("--corpus-lines must be at least 1");
            }
            var dir = p.GetValue(output)!;
            var clock = Stopwatch.StartNew();
            var data = DemoDatasetGenerator.Generate(new DemoDatasetOptions { Version = name, Seed = p.GetValue(seed), CorpusLines = p.GetValue(corpusLines) });
            if (data.ConflictIn(dir) is { } conflict)
            {
                throw new UsageException($"--out: {conflict}");
            }
            data.WriteTo(dir);
            var m = data.Manifest;
            Console.Error.WriteLine($"dataset: wrote {m.Dataset} {m.Version} (seed {m.Seed}) to {dir} in {clock.Elapsed.TotalSeconds:F1} s");
            CliOutput.Render(Table(m));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Table Table(DatasetManifest m)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("FILE", "ROLE", "ROWS", "SHA256");
        foreach (var f in m.Files)
        {
            table.AddTextRow(f.Path, f.Role.ToString().ToLowerInvariant(), f.Rows.ToString(CultureInfo.InvariantCulture), f.Sha256[..12]);
        }
        return table;
    }
}
