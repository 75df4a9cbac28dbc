namespace Pipeline.ML.Training;

/// <summary>Reported after every update, for progress displays: where the run is, how fast, and when it will end.</summary>
public sealed record TrainingProgress(long Step, long MaxSteps, double Loss, double TokensPerSecond, TimeSpan Elapsed, TimeSpan Eta);
