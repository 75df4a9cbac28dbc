using System.Text.Json.Serialization;

namespace Pipeline.Eval.Gates;

/// <summary>A gate's outcome: <c>pass</c> when every rule holds, else <c>blocked</c>.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<GateVerdict>))]
public enum GateVerdict
{
    Pass,
    Blocked,
}
