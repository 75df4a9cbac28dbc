namespace Pipeline.Durable.Tests.Workflows;

/// <summary>The steps that the versioned workflows of PatchingTests and NonDeterminismTests call.</summary>
internal sealed class VersioningActivities
{
    [Activity]
    public Task<string> StepAAsync() => Task.FromResult("A");

    [Activity]
    public Task<string> StepA2Async() => Task.FromResult("A2");

    [Activity]
    public Task<string> StepBAsync() => Task.FromResult("B");

    [Activity]
    public Task<string> StepCAsync() => Task.FromResult("C");

    public static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromMinutes(1) };
}
