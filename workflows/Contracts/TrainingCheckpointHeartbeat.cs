namespace Pipeline.Workflows.Contracts;

/// <summary>What a training activity heartbeats after each checkpoint: the step and the digest of the checkpoint
/// folder in the artifact store. A retried attempt reads it back and resumes from that step.</summary>
public sealed record TrainingCheckpointHeartbeat(long Step, long MaxSteps, string CheckpointDigest, double Loss);
