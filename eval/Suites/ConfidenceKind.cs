namespace Pipeline.Eval.Suites;

/// <summary>What a generation suite takes as the model's confidence in a response (for ece).</summary>
public enum ConfidenceKind
{
    /// <summary>The probability of the whole response: exp of its summed token log-probs (end token included). Falls
    /// with length even where every token is likely, so it suits one-word answers.</summary>
    Sequence,

    /// <summary>The probability of the answer itself — the tokens spelling the response's last integer, given
    /// everything before them — so restating the question costs nothing. A response with no integer (a refusal, "I
    /// don't know") falls back to <see cref="Sequence"/>.</summary>
    Answer,
}
