using System.Text.Json.Serialization;

namespace Pipeline.Workers.Bench;

/// <summary>Our greedy-decode throughput for one (batch, cache) case: new tokens only, prefill included in the time
/// (as the torch side counts it): the median run, and the fastest (less disturbed by other load). MatchesOtherPath: the cached and uncached runs produced the same tokens.
/// Profile: the per-op times of the timed runs, when asked for.</summary>
public sealed record GenerateBenchResult(
    string Config, int Batch, bool KvCache, int PromptTokens, int NewTokens, int Repeats, double TokensPerSecond, double BestTokensPerSecond, bool MatchesOtherPath)
{
    [JsonIgnore]
    public OpProfile? Profile { get; init; }
}
