using System.Text.Json.Serialization;

namespace Pipeline.Eval.Contamination;

/// <summary>A training file as the check read it: its rows and its n-grams (one per short text).</summary>
public sealed record TrainFileSummary(string File, int Rows, [property: JsonPropertyName("ngrams")] long NGrams);
