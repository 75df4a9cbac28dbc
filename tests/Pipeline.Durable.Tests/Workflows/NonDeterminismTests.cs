using Pipeline.Durable.History;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;
using Pipeline.Durable.Worker;

namespace Pipeline.Durable.Tests.Workflows;

public sealed class NonDeterminismTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Replay_ActivityTypeChangedUnderRecordedRun_RunFailsNamingEventAndBothSides(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        var handle = await env.Client.StartWorkflowAsync((ShippingWorkflowV1 wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "shipping", TaskQueue = "shipping" });
        await using (new RunningWorker(env.Store, new WorkerOptions { TaskQueue = "shipping", Clock = env.Clock, RunMaintenance = false },
            w => w.AddWorkflow<ShippingWorkflowV1>().AddActivities(new VersioningActivities())))
        {
            await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.TimerStarted), "the version-1 run to reach its timer");
        }

        env.NewWorker("shipping", w => w.AddWorkflow<ShippingWorkflowV2>().AddActivities(new VersioningActivities()));
        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));

        Assert.Equal(RunStatus.Failed, error.Status);
        Assert.Equal("nondeterminism", error.Failure?.Kind);
        var scheduled = (await handle.FetchHistoryAsync()).Of(EventType.ActivityTaskScheduled)[0];
        Assert.Contains($"at event {scheduled.EventId}", error.Failure?.Message);
        Assert.Contains("history records ActivityTaskScheduled 'StepA' (seq 1)", error.Failure?.Message);
        Assert.Contains("now issues ScheduleActivity 'StepC' (seq 1)", error.Failure?.Message);
    }
}

[Workflow("Shipping")]
internal sealed class ShippingWorkflowV1
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var a = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepAAsync(), VersioningActivities.Options);
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        return a + await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepBAsync(), VersioningActivities.Options);
    }
}

/// <summary>Version 1 with its first step swapped for another activity and no patch: an incompatible change.</summary>
[Workflow("Shipping")]
internal sealed class ShippingWorkflowV2
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var c = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepCAsync(), VersioningActivities.Options);
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        return c + await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepBAsync(), VersioningActivities.Options);
    }
}
