namespace Pipeline.Eval.Contamination;

/// <summary>How <see cref="ContaminationChecker"/> compares eval examples with training text.</summary>
public sealed record ContaminationOptions
{
    /// <summary>Words per n-gram. Default 8: long enough that shared phrasing ("what is the capital of") does not
    /// match by itself, short enough to catch a copied question inside longer text. Texts shorter than this are
    /// compared whole.</summary>
    public int NGram { get; init; } = 8;

    /// <summary>An eval example is contaminated when at least this share of its n-grams occurs in training text.
    /// Default 0.5; in (0, 1].</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>How many contaminated examples each eval file's report quotes. Default 20.</summary>
    public int MaxSamples { get; init; } = 20;

    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (NGram < 1)
        {
            throw new ArgumentException($"ngram must be at least 1, got {NGram}");
        }
        if (!(Threshold > 0 && Threshold <= 1))
        {
            throw new ArgumentException($"threshold must be in (0, 1], got {Threshold}");
        }
        if (MaxSamples < 0)
        {
            throw new ArgumentException($"max samples must be at least 0, got {MaxSamples}");
        }
    }
}
