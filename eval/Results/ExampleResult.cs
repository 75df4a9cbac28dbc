using System.Text.Json.Serialization;

namespace Pipeline.Eval.Results;

/// <summary>
/// One evaluated example, a line of a suite's per-example results file. <see cref="Scores"/> holds what the metrics
/// are computed from: <c>correct</c>, <c>exact_match</c>, <c>refused</c>, <c>abstained</c>, <c>response_tokens</c>
/// (generation); <c>nll</c>, <c>tokens</c> (perplexity); <c>preferred</c>, <c>margin</c> (preference pairs);
/// <c>contaminated</c> (contamination check). A metric uses the examples that carry its inputs, so one file can mix
/// kinds of examples (a refusal suite holds unsafe requests and benign ones).
/// </summary>
public sealed record ExampleResult
{
    public required string Id { get; init; }

    /// <summary>What a right response does: <c>answer</c>, <c>refuse</c> or <c>abstain</c>; null outside generation suites.</summary>
    public string? Behavior { get; init; }

    public string? Prompt { get; init; }

    public string? Response { get; init; }

    /// <summary>The expected answer or reference text, as the dataset gives it.</summary>
    public string? Expected { get; init; }

    public string? FinishReason { get; init; }

    /// <summary>The model's probability of its own response (exp of the summed token log-probs), for calibration.</summary>
    public double? Confidence { get; init; }

    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();

    /// <summary>The 1-based line of the example in its dataset file.</summary>
    [JsonPropertyName("line")]
    public int? SourceLine { get; init; }

    public double? Score(string name) => Scores.TryGetValue(name, out var v) ? v : null;
}
