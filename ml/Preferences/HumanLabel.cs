namespace Pipeline.ML.Preferences;

/// <summary>
/// One human judgment of a prompt's sampled completions, as a labels file line or (later) a workflow signal carries
/// it: either a score for one completion (<see cref="Completion"/> + <see cref="Score"/>) or a preference between two
/// (<see cref="Chosen"/> over <see cref="Rejected"/>). Indices are the candidates file's. <see cref="Source"/> says where
/// the label came from ("labels.jsonl:7", a signal id), so a label that names an unknown prompt or completion is
/// reported there.
/// </summary>
public sealed record HumanLabel(string PromptId, string Source, int? Completion = null, double? Score = null, int? Chosen = null, int? Rejected = null)
{
    public static HumanLabel ForScore(string promptId, int completion, double score, string source) =>
        new(promptId, source, Completion: completion, Score: score);

    public static HumanLabel ForPair(string promptId, int chosen, int rejected, string source) =>
        new(promptId, source, Chosen: chosen, Rejected: rejected);

    /// <summary>A pairwise judgment (else a score).</summary>
    public bool IsJudgment => Chosen is not null;
}
