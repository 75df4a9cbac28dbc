namespace Pipeline.Eval.Suites;

/// <summary>How a generation suite decodes. Greedy by default: an eval measures the model, not the sampler's luck.</summary>
public sealed record GenerationSettings
{
    /// <summary>Most tokens per response (max_new_tokens). Default 32.</summary>
    public int MaxNewTokens { get; init; } = 32;

    /// <summary>0 decodes greedily. Default 0.</summary>
    public double Temperature { get; init; }

    /// <summary>top_k; 0 keeps every token. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>top_p; 1 keeps every token. Default 1.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Seed of sampled decoding. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Strings that end a response (cut before them), e.g. "\n" for raw-text prompts. The chat end token
    /// always ends one. Default none.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Prompts decoded together. Default 64.</summary>
    public int BatchSize { get; init; } = 64;
}
