namespace Pipeline.Eval.Scoring;

/// <summary>One step of a <see cref="TextNormalizer"/>; suites name them in snake_case (<c>collapse_whitespace</c>).</summary>
public enum NormalizerStep
{
    /// <summary><c>lowercase</c>: lower-cases every letter (invariant culture).</summary>
    Lowercase,

    /// <summary><c>strip</c>: drops leading and trailing whitespace.</summary>
    Strip,

    /// <summary><c>collapse_whitespace</c>: runs of whitespace become one space, and leading and trailing whitespace
    /// is dropped (SQuAD's <c>' '.join(text.split())</c>).</summary>
    CollapseWhitespace,

    /// <summary><c>strip_punctuation</c>: deletes punctuation and symbol characters ("U.S.A." → "USA", "-5" → "5").</summary>
    StripPunctuation,

    /// <summary><c>remove_articles</c>: replaces the words a, an and the (any case) by a space, as SQuAD's normalizer does.</summary>
    RemoveArticles,

    /// <summary><c>last_integer</c>: keeps only the last integer of the text (a leading minus counts), or nothing.</summary>
    LastInteger,

    /// <summary><c>number</c>: writes every number canonically: "77.0" → "77", "1,000" → "1000", "0.50" → "0.5", "+3" → "3".</summary>
    Number,
}
