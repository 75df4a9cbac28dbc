using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Contamination;

/// <summary>The result of checking eval files against training files: per eval file, per (training, eval) pair, and
/// the settings it used. Written as JSON with <see cref="EvalJson.Indented"/>.</summary>
public sealed record ContaminationReport
{
    public const string CurrentSchema = "pipeline.contamination/v1";

    public string Schema { get; init; } = CurrentSchema;

    [JsonPropertyName("ngram")]
    public int NGram { get; init; }

    public double Threshold { get; init; }

    public required IReadOnlyList<TrainFileSummary> Train { get; init; }

    public required IReadOnlyList<EvalFileContamination> Eval { get; init; }

    public required IReadOnlyList<TrainEvalOverlap> Overlaps { get; init; }

    [JsonIgnore]
    public bool AnyContaminated => Eval.Any(e => e.Contaminated > 0);

    /// <summary>The result for an eval file, named as it was passed to the check.</summary>
    public EvalFileContamination? For(string evalFile) => Eval.FirstOrDefault(e => e.File == evalFile);

    public string ToJson() => JsonSerializer.Serialize(this, EvalJson.Indented);

    public void Save(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }
        File.WriteAllText(path + ".tmp", ToJson() + "\n");
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static ContaminationReport Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new EvalFormatException($"{path}: no contamination report there");
        }
        ContaminationReport? report;
        try
        {
            report = JsonSerializer.Deserialize<ContaminationReport>(File.ReadAllText(path), EvalJson.Indented);
        }
        catch (JsonException e)
        {
            throw new EvalFormatException($"{path}: not a valid contamination report ({e.Message})", e);
        }
        return report is { Schema: CurrentSchema }
            ? report
            : throw new EvalFormatException($"{path}: expected schema \"{CurrentSchema}\", found \"{report?.Schema}\"");
    }
}
