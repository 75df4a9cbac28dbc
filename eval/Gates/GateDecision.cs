using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Gates;

/// <summary>
/// The record of one gate decision, <c>decision.json</c>: which policy (file and sha256) judged which candidate against
/// which baseline (reports, weights and datasets by hash), when, every rule's numbers and reason, and the verdict.
/// Enough to audit the decision later without rerunning anything.
/// </summary>
public sealed record GateDecision
{
    public const string CurrentSchema = "pipeline.gate/v1";
    public const string FileName = "decision.json";

    public string Schema { get; init; } = CurrentSchema;

    public required GateVerdict Verdict { get; init; }

    public required PolicyIdentity Policy { get; init; }

    public required DateTimeOffset DecidedAt { get; init; }

    public required RunIdentity Candidate { get; init; }

    public RunIdentity? Baseline { get; init; }

    public required IReadOnlyList<RuleOutcome> Rules { get; init; }

    /// <summary>The names of the rules that failed, in policy order; empty on a pass.</summary>
    public required IReadOnlyList<string> FailedRules { get; init; }

    /// <summary>Axis → whether every rule on it passed, in the order the axes first appear in the policy.</summary>
    public required IReadOnlyDictionary<string, bool> Axes { get; init; }

    [JsonIgnore]
    public bool Passed => Verdict == GateVerdict.Pass;

    public string ToJson() => JsonSerializer.Serialize(this, EvalJson.Indented) + "\n";

    /// <summary>Writes <c>decision.json</c> to a file (atomically: a reader never sees half a decision).</summary>
    public void Save(string path)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        File.WriteAllText(path + ".tmp", ToJson());
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Reads a decision back from its file or the folder holding <c>decision.json</c>.</summary>
    public static GateDecision Load(string pathOrDirectory)
    {
        var path = System.IO.Directory.Exists(pathOrDirectory) ? System.IO.Path.Combine(pathOrDirectory, FileName) : pathOrDirectory;
        if (!File.Exists(path))
        {
            throw new EvalFormatException($"{path}: no gate decision there (expected {FileName} written by `pipeline gate check`)");
        }
        GateDecision? decision;
        try
        {
            decision = JsonSerializer.Deserialize<GateDecision>(File.ReadAllText(path), EvalJson.Indented);
        }
        catch (JsonException e)
        {
            throw new EvalFormatException($"{path}: not a valid gate decision ({e.Message})", e);
        }
        return decision is not null && decision.Schema == CurrentSchema
            ? decision
            : throw new EvalFormatException($"{path}: expected schema \"{CurrentSchema}\", found \"{decision?.Schema}\"");
    }
}
