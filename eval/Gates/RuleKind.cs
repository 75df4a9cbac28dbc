using System.Text.Json.Serialization;

namespace Pipeline.Eval.Gates;

/// <summary>What a gate rule bounds: the candidate's value alone (<see cref="Min"/>, <see cref="Max"/>) or its change
/// against the baseline in the metric's good direction (<see cref="MinLift"/>, <see cref="MaxRegression"/>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RuleKind>))]
public enum RuleKind
{
    /// <summary>An absolute floor: candidate ≥ threshold.</summary>
    Min,

    /// <summary>An absolute ceiling: candidate ≤ threshold.</summary>
    Max,

    /// <summary>The candidate must improve on the baseline by at least the threshold.</summary>
    MinLift,

    /// <summary>The candidate may be worse than the baseline by at most the threshold.</summary>
    MaxRegression,
}
