namespace Pipeline.ML.Preferences;

/// <summary>Why a candidate pair of completions did not become a preference pair, in the order the checks run.</summary>
public enum PairDropReason
{
    /// <summary>One completion is empty or white space: nothing to prefer or reject (TRL refuses empty completions).</summary>
    EmptyCompletion,

    /// <summary>One completion contains a chat special token's text (<c>&lt;|im_start|&gt;</c>, <c>&lt;|im_end|&gt;</c>,
    /// <c>&lt;|endoftext|&gt;</c>; a model sampled at a high temperature writes them): as a pair it would forge a turn
    /// boundary, and the DPO loader refuses the line (<see cref="PairBuilder.ContainsChatMarker"/>).</summary>
    ChatMarker,

    /// <summary>One completion ran to max_new_tokens without stopping: written as a pair it would gain the end token it
    /// never produced, teaching the model to stop mid-answer (<see cref="PairQualityOptions.DropTruncated"/>).</summary>
    TruncatedCompletion,

    /// <summary>The labeler gave neither a judgment of the pair nor scores for both completions.</summary>
    Unlabeled,

    /// <summary>The scores are within min_score_gap of each other (an all-right or all-wrong prompt ties every pair).</summary>
    Tie,

    /// <summary>Both scores are below good_threshold: the better one is still not an answer worth teaching.</summary>
    BothBad,

    /// <summary>The completions are at least near_duplicate_similarity alike: their difference is noise.</summary>
    NearIdentical,

    /// <summary>The pair passed every check, but the prompt already has max_pairs_per_prompt better ones.</summary>
    MaxPairsPerPrompt,
}
