namespace Pipeline.Durable.Samples;

public sealed record SleepyStepRequest(int Index, double Seconds, string LogFile);
