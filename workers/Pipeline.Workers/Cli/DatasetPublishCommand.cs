using System.CommandLine;
using System.Globalization;
using Pipeline.Eval.Datasets;
using Pipeline.Eval.Domain;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Datasets;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline dataset publish DIR`: validate a dataset version, upload it to the configured artifact store, and
/// publish <c>DatasetVersionPublished</c> through the outbox. Exit 0 published (delivered, or queued for the embedded
/// server), 1 invalid data or not yet delivered (the event waits safely in the outbox), 2 bad flags, configuration or
/// a changed file under a published version.</summary>
public static class DatasetPublishCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("dir") { Description = "A dataset version folder with manifest.json (`pipeline dataset generate` writes one)" };
        var wait = new Option<int>("--wait")
        {
            Description = "Seconds to keep trying to deliver the event to RabbitMQ before leaving it in the outbox", DefaultValueFactory = _ => 30, HelpName = "S",
        };
        wait.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--wait must be 0 or more seconds");
        });
        var cmd = new Command("publish", "Validate a dataset version, upload it to the artifact store, publish DatasetVersionPublished") { path, wait };
        cmd.SetAction(async (p, ct) =>
        {
            var dir = p.GetValue(path)!;
            if (!Directory.Exists(dir)) throw new UsageException($"{dir}: no such folder (publish takes a dataset version folder with {DatasetManifest.FileName})");
            var manifestPath = Path.Combine(dir, DatasetManifest.FileName);
            if (!File.Exists(manifestPath)) throw new UsageException($"{dir}: no {DatasetManifest.FileName}; a dataset version is a folder with a manifest (see `pipeline dataset generate`)");

            // Nothing leaves this machine unless every file is valid and matches the manifest's sha256.
            var problems = DatasetValidator.Validate(dir).Concat(Unlisted(dir, manifestPath)).ToList();
            if (problems.Count > 0)
            {
                foreach (var problem in problems) Console.WriteLine(problem);
                Console.Error.WriteLine($"pipeline: {dir}: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}; nothing was published");
                return ExitCodes.Failed;
            }
            var manifest = DatasetManifest.Load(manifestPath);

            var config = CliConfig.Load(p, PipelineComponents.Artifacts | PipelineComponents.Bus);
            var settings = config.Settings;
            if (settings.Bus.OutboxPath is not { Length: > 0 } outboxPath)
                throw new UsageException("Pipeline:Bus:OutboxPath is empty: publishing needs the outbox so that an event survives a broker outage");
            using var store = ArtifactStores.Open(settings);
            var outbox = new SqliteEventOutbox(Path.GetFullPath(outboxPath));
            var publisher = new DatasetPublisher(store.Store, outbox);
            DatasetPublishResult result;
            try
            {
                result = await publisher.PublishAsync(Publication(dir, manifest), ct);
            }
            catch (DatasetVersionConflictException e)
            {
                throw new UsageException(e.Message, e);
            }
            var d = result.Dataset;
            Console.Out.WriteLine($"{d.Dataset}@{d.Version} {(result.AlreadyPublished ? "already published (same files)" : "published")}: "
                + $"{d.FileCount} files, {d.TotalBytes:N0} bytes, {d.FilesDigest} at {d.FilesUri}");

            if (settings.Bus.Transport == BusTransport.InMemory)
            {
                Console.Error.WriteLine($"event {result.MessageId} queued in {Path.GetFullPath(outboxPath)}: the in-memory bus lives in `pipeline server` "
                    + "on this data folder, which delivers it");
                return ExitCodes.Ok;
            }
            var (delivered, pending) = await OutboxFlush.DeliverAsync(outbox, settings.Bus, TimeSpan.FromSeconds(p.GetValue(wait)), ct);
            if (pending == 0)
            {
                Console.Error.WriteLine($"event {result.MessageId} delivered to RabbitMQ at {settings.Bus.Host}:{settings.Bus.Port} ({delivered} event(s) sent)");
                return ExitCodes.Ok;
            }
            Console.Error.WriteLine($"pipeline: RabbitMQ at {settings.Bus.Host}:{settings.Bus.Port} did not take the event within {p.GetValue(wait)} s; "
                + $"{pending} event(s) wait in {Path.GetFullPath(outboxPath)} and go out with the next `pipeline dataset publish` or `pipeline events flush`");
            return ExitCodes.Failed;
        });
        return cmd;
    }

    /// <summary>What publishing a validated version folder records with it: the manifest's hash, seed and generator.</summary>
    public static DatasetPublication Publication(string dir, DatasetManifest manifest) =>
        new(dir, manifest.Dataset, manifest.Version, new Dictionary<string, string>
        {
            ["manifest_sha256"] = ArtifactDigest.Of(File.ReadAllBytes(Path.Combine(dir, DatasetManifest.FileName)))[ArtifactDigest.Prefix.Length..],
            ["seed"] = manifest.Seed.ToString(CultureInfo.InvariantCulture),
            ["generator"] = manifest.Generator,
        }, ProducedBy: $"cli@{Environment.MachineName}");

    /// <summary>Files the manifest does not describe: the whole folder is uploaded, so a stray file would ship unchecked.</summary>
    private static IEnumerable<string> Unlisted(string dir, string manifestPath)
    {
        DatasetManifest manifest;
        try
        {
            manifest = DatasetManifest.Load(manifestPath);
        }
        catch (Exception e) when (e is Pipeline.ML.IO.DataFormatException or System.Text.Json.JsonException)
        {
            yield break; // the validator already reports an unreadable manifest
        }
        var listed = manifest.Files.Select(f => f.Path.Replace('\\', '/')).Append(DatasetManifest.FileName).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(dir, file).Replace('\\', '/');
            if (!listed.Contains(relative)) yield return $"{file}: not listed in {DatasetManifest.FileName}; publish uploads only files the manifest describes (remove it or add it to the manifest)";
        }
    }
}
