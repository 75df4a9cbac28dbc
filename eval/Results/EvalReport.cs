using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Eval.Results;

/// <summary>
/// One eval run of one model (and adapter): <c>eval.json</c> in the run's folder, beside <c>examples/SUITE.jsonl</c>.
/// Gates compare two of these. Metrics are addressed as <c>SUITE/METRIC</c> (<c>in_domain/accuracy</c>).
/// </summary>
public sealed record EvalReport
{
    public const string CurrentSchema = "pipeline.eval/v1";
    public const string FileName = "eval.json";

    public string Schema { get; init; } = CurrentSchema;

    public required string Model { get; init; }

    public string? Adapter { get; init; }

    /// <summary>sha256 over the model's (and adapter's) weights, so a decision names exactly which weights it judged.</summary>
    public string? ModelSha256 { get; init; }

    public DatasetRef? Dataset { get; init; }

    public string? SuitesFile { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public required BootstrapSettings Bootstrap { get; init; }

    public required IReadOnlyList<SuiteResult> Suites { get; init; }

    /// <summary>The folder the report was loaded from (per-example files are relative to it); not serialized.</summary>
    [JsonIgnore]
    public string? Directory { get; init; }

    public SuiteResult? Suite(string name) => Suites.FirstOrDefault(s => s.Name == name);

    /// <summary>Looks up <c>SUITE/METRIC</c>; null when the suite or the metric is not in this run.</summary>
    public MetricResult? Metric(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0 || Suite(key[..slash]) is not { } suite)
        {
            return null;
        }
        return suite.Metrics.TryGetValue(key[(slash + 1)..], out var m) ? m : null;
    }

    public string ExamplesPath(SuiteResult suite) => Path.Combine(Directory ?? ".", suite.ExamplesFile);

    public void Save(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, EvalJson.Indented) + "\n");
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Loads <c>eval.json</c> from a run folder or from the file's own path.</summary>
    public static EvalReport Load(string pathOrDirectory)
    {
        var path = System.IO.Directory.Exists(pathOrDirectory) ? Path.Combine(pathOrDirectory, FileName) : pathOrDirectory;
        if (!File.Exists(path))
        {
            throw new EvalFormatException($"{path}: no eval report there (expected {FileName} written by `pipeline eval run`)");
        }
        EvalReport? report;
        try
        {
            report = JsonSerializer.Deserialize<EvalReport>(File.ReadAllText(path), EvalJson.Indented);
        }
        catch (JsonException e)
        {
            throw new EvalFormatException($"{path}: not a valid eval report ({e.Message})", e);
        }
        if (report is null || report.Schema != CurrentSchema)
        {
            throw new EvalFormatException($"{path}: expected schema \"{CurrentSchema}\", found \"{report?.Schema}\"");
        }
        return report with { Directory = Path.GetDirectoryName(Path.GetFullPath(path)) };
    }
}
