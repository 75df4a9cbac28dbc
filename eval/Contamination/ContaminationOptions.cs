namespace Pipeline.Eval.Contamination;

/// <summary>How <see cref="ContaminationChecker"/> compares eval examples with training text.</summary>
public sealed record ContaminationOptions
{
    /// <summary>Words per n-gram. Default 13, as GPT-3's contamination study used (Brown et al. 2020, app. C): long
    /// enough that an eval question sharing a training template's wording but not its operands ("What do you get if you
    /// add 8 to 84?") is not flagged — at 8 words 5% of the demo's held-out questions were — and short enough to catch
    /// a copied passage inside longer text. Texts shorter than this are compared whole.</summary>
    public int NGram { get; init; } = 13;

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
