using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Eval.Gates;

/// <summary>Enums in decision records read as the policy file writes them (<c>min_lift</c>, <c>higher_is_better</c>),
/// not as numbers that change meaning when a member is added.</summary>
internal sealed class SnakeCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where T : struct, Enum;
