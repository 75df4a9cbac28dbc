namespace Pipeline.ML.Generation;

/// <summary>Decoding settings, named as HF's GenerationConfig. Sampling order: temperature → top-k → top-p.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to generate per prompt (max_new_tokens). Default 64.</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Softmax temperature; 0 decodes greedily (do_sample=False). Default 0.</summary>
    public double Temperature { get; init; }

    /// <summary>Keep only the k most likely tokens before sampling; 0 keeps all (top_k). Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus sampling: keep the smallest set of tokens whose probability reaches p; 1 keeps all (top_p). Default 1.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Token ids that end a sequence and are kept as its last token (eos_token_id). Default none.</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>Strings that end a sequence; the text is cut before the stop string (needs a tokenizer). Default none.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Seed of the sampling generator; the same seed, prompts and model give the same output. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Reuse keys and values of earlier positions (use_cache). Off recomputes the whole sequence each step. Default true.</summary>
    public bool UseCache { get; init; } = true;

    public void Validate()
    {
        if (MaxNewTokens <= 0)
        {
            throw new ArgumentException($"max_new_tokens must be > 0, got {MaxNewTokens}");
        }
        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
        {
            throw new ArgumentException($"temperature must be a finite number >= 0, got {Temperature}");
        }
        if (TopK < 0)
        {
            throw new ArgumentException($"top_k must be >= 0, got {TopK}");
        }
        if (!(TopP is > 0 and <= 1))
        {
            throw new ArgumentException($"top_p must be in (0, 1], got {TopP}");
        }
        if (StopSequences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("stop sequences must be non-empty strings");
        }
    }
}
