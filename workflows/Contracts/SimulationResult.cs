namespace Pipeline.Workflows.Contracts;

/// <summary>What the simulator sent and what came back.</summary>
public sealed record SimulationResult(int Sent, int Errors, int Feedback);
