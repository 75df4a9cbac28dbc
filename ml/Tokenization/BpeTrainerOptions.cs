namespace Pipeline.ML.Tokenization;

/// <summary>Hyperparameters of <see cref="BpeTrainer"/>.</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>Target size: special tokens + the 256 byte symbols + merges. Training stops early when no pair is
    /// frequent enough. Default 8000.</summary>
    public int VocabSize { get; init; } = 8000;

    /// <summary>A pair seen fewer times than this (weighted by word count) is never merged. Default 2.</summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>Added tokens, given ids 0.. in this order (as HF's trainer does); they are cut out of the corpus
    /// before counting, so no merge spans one. Default: the ChatML markers, end of text and padding.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } =
        [ChatTemplate.ImStart, ChatTemplate.ImEnd, "<|endoftext|>", "<|pad|>"];

    public void Validate()
    {
        if (MinFrequency < 1)
        {
            throw new ArgumentException($"MinFrequency must be at least 1, found {MinFrequency}");
        }

        if (SpecialTokens.Any(string.IsNullOrEmpty) || SpecialTokens.Distinct(StringComparer.Ordinal).Count() != SpecialTokens.Count)
        {
            throw new ArgumentException("SpecialTokens must be distinct and non-empty");
        }

        if (VocabSize < SpecialTokens.Count + 256)
        {
            throw new ArgumentException(
                $"VocabSize {VocabSize} is below the {SpecialTokens.Count} special tokens + 256 byte symbols");
        }
    }
}
