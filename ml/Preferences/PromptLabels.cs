namespace Pipeline.ML.Preferences;

/// <summary>
/// What a labeler says about one prompt's completions: a score per completion (null where it gave none), and/or
/// pairwise judgments. A judgment decides its pair outright; other pairs are ordered by their scores.
/// </summary>
public sealed record PromptLabels(IReadOnlyList<double?> Scores, IReadOnlyList<PairJudgment> Judgments)
{
    public static PromptLabels FromScores(IEnumerable<double> scores) => new([.. scores.Select(s => (double?)s)], []);
}
