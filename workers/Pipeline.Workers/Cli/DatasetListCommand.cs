using System.CommandLine;
using System.Globalization;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Datasets;
using Spectre.Console;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline dataset list [NAME] [--json]`: the dataset versions published to the configured artifact store.</summary>
public static class DatasetListCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "Only this dataset's versions", Arity = ArgumentArity.ZeroOrOne };
        var json = CliOptions.Json();
        var cmd = new Command("list", "Published dataset versions: name, version, files digest, size, when") { name, json };
        cmd.SetAction(async (p, ct) =>
        {
            var config = CliConfig.Load(p, PipelineComponents.Artifacts);
            using var store = ArtifactStores.Open(config.Settings);
            // Listing reads records only; the outbox is not touched, so a throwaway one is never created.
            var versions = await new DatasetPublisher(store.Store, NoOutbox.Instance).ListAsync(p.GetValue(name), ct);
            if (p.GetValue(json))
            {
                CliOutput.PrintJson(versions);
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("DATASET", "VERSION", "FILES", "BYTES", "FILES DIGEST", "PUBLISHED");
            foreach (var v in versions)
            {
                table.AddTextRow(v.Dataset, v.Version, v.FileCount.ToString(CultureInfo.InvariantCulture), v.TotalBytes.ToString("N0", CultureInfo.InvariantCulture),
                    v.FilesDigest[..19], CliOutput.Time(v.PublishedAt));
            }
            CliOutput.Render(table);
            Console.Error.WriteLine($"{versions.Count} version(s) in {(config.Settings.Artifacts.Store == ArtifactStoreKind.S3 ? $"s3://{config.Settings.S3.Bucket}" : Path.GetFullPath(config.Settings.Artifacts.Root))}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
