namespace Pipeline.ML.Preferences;

/// <summary>A labeler's direct statement that completion <see cref="Chosen"/> is better than <see cref="Rejected"/>
/// (indices into the prompt's completions), as a person comparing two answers gives it.</summary>
public sealed record PairJudgment(int Chosen, int Rejected);
