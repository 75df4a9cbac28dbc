using System.Text.Json.Serialization;

namespace Pipeline.Eval.Contamination;

/// <summary>One eval file's result: how many of its examples are contaminated, which ones (by id), and samples.</summary>
public sealed record EvalFileContamination
{
    public required string File { get; init; }

    public int Examples { get; init; }

    public int Contaminated { get; init; }

    /// <summary>Contaminated / Examples; NaN (null in JSON) for a file without examples.</summary>
    public double Rate { get; init; }

    public IReadOnlyList<string> ContaminatedIds { get; init; } = [];

    public IReadOnlyList<ContaminationMatch> Samples { get; init; } = [];

    /// <summary>Every example's check, in file order; not serialized (<see cref="ContaminatedIds"/> is).</summary>
    [JsonIgnore]
    public IReadOnlyList<ExampleContamination> Rows { get; init; } = [];

    /// <summary>The <c>contaminated</c> score of an eval row (by the row's <c>id</c>, else its line number): 1 or 0.
    /// The eval runner adds it to the row's scores, and the catalog's <c>contamination_rate</c> averages it.</summary>
    public double ContaminatedScore(string id) => ContaminatedIds.Contains(id) ? 1 : 0;
}
