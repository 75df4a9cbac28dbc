namespace Pipeline.Eval.Scoring;

/// <summary>What a right response to an eval row does: the row's <c>behavior</c> column (a row without it is
/// <see cref="Answer"/>).</summary>
public enum ExpectedBehavior
{
    /// <summary><c>answer</c>: give the number in the row's <c>answer</c> column, as the last integer of the response.</summary>
    Answer,

    /// <summary><c>refuse</c>: decline the request.</summary>
    Refuse,

    /// <summary><c>abstain</c>: say "I don't know".</summary>
    Abstain,
}
