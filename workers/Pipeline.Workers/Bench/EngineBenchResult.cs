namespace Pipeline.Workers.Bench;

/// <summary>One store's figures: throughput under load, and schedule-to-start latency under load and idle.</summary>
public sealed record EngineBenchResult(string Store, int Workflows, int Steps, double Seconds, double StepsPerSecond,
    double LoadP50Ms, double LoadP99Ms, double IdleP50Ms, double IdleP99Ms);
