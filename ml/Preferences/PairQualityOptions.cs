namespace Pipeline.ML.Preferences;

/// <summary>
/// Which labelled completion pairs become preference pairs. Every unordered pair of a prompt's completions is a
/// candidate; the checks run in this order and the first that fails names the drop: empty completion, chat marker
/// (a completion holding <c>&lt;|im_start|&gt;</c> or another special token's text), truncated
/// completion (<see cref="DropTruncated"/>), unlabeled,
/// tie (<see cref="MinScoreGap"/>), both bad (<see cref="GoodThreshold"/>), near-identical
/// (<see cref="NearDuplicateSimilarity"/>), then over <see cref="MaxPairsPerPrompt"/>.
/// </summary>
public sealed record PairQualityOptions
{
    /// <summary>Most pairs kept per prompt (DEMO-DOMAIN: up to 2 from k = 4). Default 2.</summary>
    public int MaxPairsPerPrompt { get; init; } = 2;

    /// <summary>A completion is good when its score is at least this; a pair of two completions below it is dropped as
    /// "both bad" (nothing in it is worth preferring). Default 0.5, the middle of a 0/1 verifier. A reward model's scores
    /// are on its own scale: use the score that separates acceptable answers, or −∞ to keep both-bad pairs.</summary>
    public double GoodThreshold { get; init; } = 0.5;

    /// <summary>Two scores within this of each other are a tie, and the pair is dropped: |chosen − rejected| ≤ gap.
    /// Default 0 (only equal scores tie); a reward model's noise floor is a sensible value for it.</summary>
    public double MinScoreGap { get; init; }

    /// <summary>Pairs whose completions are at least this similar (<see cref="TextSimilarity"/>: normalised
    /// Levenshtein after case and white-space folding) are dropped: their difference is noise, not substance.
    /// Default 1.0 — only completions equal after folding. Lower it with care on short answers: "83 - 6 = 77." and
    /// "83 - 6 = 67." are 0.92 alike, and that minimal edit is exactly the lesson a carry-forgetting model needs.</summary>
    public double NearDuplicateSimilarity { get; init; } = 1.0;

    /// <summary>Drop pairs with a completion that hit max_new_tokens without a stop token or string. Preference data
    /// ends every completion with EOS, so a cut-off answer would be taught as a finished one. Default true.</summary>
    public bool DropTruncated { get; init; } = true;

    public void Validate()
    {
        if (MaxPairsPerPrompt < 1)
        {
            throw new ArgumentException($"max_pairs_per_prompt must be at least 1, got {MaxPairsPerPrompt}");
        }
        if (double.IsNaN(GoodThreshold) || double.IsPositiveInfinity(GoodThreshold))
        {
            throw new ArgumentException($"good_threshold must be a number or -infinity, got {GoodThreshold}");
        }
        if (!(MinScoreGap >= 0) || double.IsInfinity(MinScoreGap))
        {
            throw new ArgumentException($"min_score_gap must be a finite number >= 0, got {MinScoreGap}");
        }
        if (!(NearDuplicateSimilarity is > 0 and <= 1))
        {
            throw new ArgumentException($"near_duplicate_similarity must be in (0, 1], got {NearDuplicateSimilarity}");
        }
    }

    public System.Text.Json.Nodes.JsonObject ToJson() => new()
    {
        ["max_pairs_per_prompt"] = MaxPairsPerPrompt,
        ["good_threshold"] = double.IsNegativeInfinity(GoodThreshold) ? (System.Text.Json.Nodes.JsonNode)"-inf" : GoodThreshold,
        ["min_score_gap"] = MinScoreGap,
        ["near_duplicate_similarity"] = NearDuplicateSimilarity,
        ["drop_truncated"] = DropTruncated,
    };
}
