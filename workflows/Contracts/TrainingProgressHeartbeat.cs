namespace Pipeline.Workflows.Contracts;

/// <summary>The second heartbeat detail of a training activity (the first is its <see cref="TrainingCheckpointHeartbeat"/>):
/// where the trainer is, for progress displays (<c>pipeline demo</c>, <c>pipeline run --follow</c>, <c>workflow show</c>).</summary>
public sealed record TrainingProgressHeartbeat(string Stage, long Step, long MaxSteps, double Loss, double TokensPerSecond, double EtaSeconds);
