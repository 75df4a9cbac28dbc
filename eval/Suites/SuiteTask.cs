namespace Pipeline.Eval.Suites;

/// <summary>What a suite does with its dataset.</summary>
public enum SuiteTask
{
    /// <summary>Generate a response per prompt and score it (accuracy, exact match, refusals, abstentions, ECE, length).</summary>
    Generate,

    /// <summary>Score held-out text under the model: perplexity.</summary>
    Perplexity,

    /// <summary>Score held-out preference pairs: does the chosen response beat the rejected one?</summary>
    Preference,
}
