namespace Pipeline.Durable.Samples;

/// <summary>Input of the smoke-test workflow.</summary>
/// <param name="Steps">How many activities to run, one after another.</param>
/// <param name="StepSeconds">How long each activity sleeps (heartbeating) before it logs its line.</param>
/// <param name="LogFile">File each finished step appends "step i" to.</param>
/// <param name="TimerSeconds">Optional durable timer between steps.</param>
/// <param name="HeartbeatTimeoutSeconds">How soon a lost worker is noticed. Default 2 s.</param>
public sealed record SleepyStepsInput(int Steps, double StepSeconds, string LogFile, double TimerSeconds = 0, double HeartbeatTimeoutSeconds = 2);
