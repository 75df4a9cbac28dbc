using System.Text.Json.Serialization;

namespace Pipeline.Serving.Routing;

/// <summary>
/// An A/B experiment on one registered model NAME: requests for NAME are split between the variants by weight, each
/// user sticky to one variant (<see cref="TrafficRouter"/>). The salt keeps assignments independent across experiments.
/// </summary>
public sealed record ExperimentDefinition(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("variants")] IReadOnlyList<ExperimentVariant> Variants,
    [property: JsonPropertyName("salt")] string Salt)
{
    /// <summary>Tolerance on the weights' sum, for weights written as decimals (0.1 + 0.2 ≠ 0.3 in binary).</summary>
    public const double WeightSumTolerance = 1e-9;

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong: no variants, a negative or non-finite
    /// weight, weights not summing to 1, a duplicate or empty variant name, a version below 1.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("experiment name is empty");
        }
        if (Variants is null || Variants.Count == 0)
        {
            throw new ArgumentException($"experiment '{Name}' has no variants; give at least one");
        }
        foreach (var v in Variants)
        {
            if (string.IsNullOrWhiteSpace(v.Variant))
            {
                throw new ArgumentException($"experiment '{Name}': a variant has no name");
            }
            if (!double.IsFinite(v.Weight) || v.Weight < 0)
            {
                throw new ArgumentException($"experiment '{Name}': variant '{v.Variant}' has weight {v.Weight}; weights must be finite and ≥ 0");
            }
            if (v.ModelVersion < 1)
            {
                throw new ArgumentException($"experiment '{Name}': variant '{v.Variant}' has model_version {v.ModelVersion}; versions start at 1");
            }
        }
        if (Variants.Select(v => v.Variant).Distinct(StringComparer.Ordinal).Count() != Variants.Count)
        {
            throw new ArgumentException($"experiment '{Name}': variant names must be unique");
        }
        var sum = Variants.Sum(v => v.Weight);
        if (Math.Abs(sum - 1) > WeightSumTolerance)
        {
            throw new ArgumentException($"experiment '{Name}': weights sum to {sum}; they must sum to 1");
        }
    }
}
