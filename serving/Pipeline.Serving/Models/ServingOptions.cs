namespace Pipeline.Serving.Models;

/// <summary>Where the serving layer keeps its state, and request limits.</summary>
public sealed record ServingOptions
{
    /// <summary>The SQLite file of experiments and request records, e.g. DataDir/serving.db.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>Where model packages are materialized (one folder per artifact digest), e.g. DataDir/serving-cache.</summary>
    public required string CacheRoot { get; init; }

    /// <summary>max_tokens when a request gives none. Default 64.</summary>
    public int DefaultMaxTokens { get; init; } = 64;

    /// <summary>Registered model names GET /v1/models lists besides those with experiments. Default none.</summary>
    public IReadOnlyList<string> ModelNames { get; init; } = [];
}
