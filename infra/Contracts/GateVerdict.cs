namespace Pipeline.Infra.Contracts;

/// <summary>What an evaluation gate decided.</summary>
public enum GateVerdict
{
    /// <summary>The candidate met every threshold of the gate.</summary>
    Passed,

    /// <summary>The candidate missed at least one threshold.</summary>
    Failed,
}
