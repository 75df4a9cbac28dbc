using System.Text.Json.Nodes;
using Pipeline.ML.Generation;

namespace Pipeline.ML.Preferences;

/// <summary>How completions are sampled for preference collection (HF GenerationConfig names). Every field but
/// <see cref="BatchSize"/>'s effect on speed is part of the pairs' provenance: rows of one batch share a sampling
/// generator, so the batch size changes which random numbers each completion draws.</summary>
public sealed record PreferenceSamplingOptions
{
    /// <summary>Completions sampled per prompt (k). At least 2, since a pair needs two. Default 4.</summary>
    public int SamplesPerPrompt { get; init; } = 4;

    /// <summary>Softmax temperature; 0 is greedy (every sample of a prompt then alike). Default 1.0, as DEMO-DOMAIN.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling mass (top_p); 1 keeps every token. Default 1.0.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Keep the k most likely tokens (top_k); 0 keeps all. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Most tokens per completion (max_new_tokens). Default 64.</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Seed of the run: batch b samples with a generator seeded from (Seed, b), so one seed gives one output
    /// and every batch (and every prompt in it) draws its own numbers. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Token ids that end a completion (eos); they are not part of its text. Default none.</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>Strings that end a completion; the text is cut before them. Default none.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Prompts per generation batch; each contributes <see cref="SamplesPerPrompt"/> rows. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    public void Validate()
    {
        if (SamplesPerPrompt < 2)
        {
            throw new ArgumentException($"samples_per_prompt must be at least 2 (a pair needs two completions), got {SamplesPerPrompt}");
        }
        if (BatchSize < 1)
        {
            throw new ArgumentException($"batch_size must be at least 1, got {BatchSize}");
        }
        Generation(0).Validate();
    }

    /// <summary>The generator's settings for batch <paramref name="batch"/>.</summary>
    public GenerationOptions Generation(int batch) => new()
    {
        MaxNewTokens = MaxNewTokens, Temperature = Temperature, TopP = TopP, TopK = TopK, StopTokenIds = StopTokenIds,
        StopSequences = StopSequences, Seed = BatchSeed(Seed, batch),
    };

    /// <summary>The sampling config as provenance records it (snake_case, as HF names them).</summary>
    public JsonObject ToJson() => new()
    {
        ["samples_per_prompt"] = SamplesPerPrompt,
        ["temperature"] = Temperature,
        ["top_p"] = TopP,
        ["top_k"] = TopK,
        ["max_new_tokens"] = MaxNewTokens,
        ["seed"] = Seed,
        ["batch_size"] = BatchSize,
        ["stop_token_ids"] = new JsonArray([.. StopTokenIds.Select(t => (JsonNode)t)]),
        ["stop_sequences"] = new JsonArray([.. StopSequences.Select(s => (JsonNode)s)]),
    };

    // SplitMix64's finaliser over (seed, batch): neighbouring batches get unrelated streams.
    private static ulong BatchSeed(ulong seed, int batch)
    {
        var z = seed + 0x9E3779B97F4A7C15UL * (ulong)(batch + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
