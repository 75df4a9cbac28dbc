namespace Pipeline.Durable.Samples;

public sealed record SleepyStepsResult(int StepsCompleted);
