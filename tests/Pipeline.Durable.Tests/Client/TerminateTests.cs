using Pipeline.Durable.History;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Client;

public sealed class TerminateTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TerminateAsync_ActivityRunning_ClosesAtOnceAndRefusesLateCompletion(string kind)
    {
        var activities = new GatedActivities();
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        var worker = env.NewWorker("gate", w => w.AddWorkflow<GatedWorkflow>().AddActivities(activities));
        var handle = await env.Client.StartWorkflowAsync((GatedWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "gated", TaskQueue = "gate" });
        await activities.Entered.Task.WaitAsync(Eventually.Patience);

        await handle.TerminateAsync("stuck deploy");

        var run = await handle.DescribeRunAsync();
        Assert.Equal(RunStatus.Terminated, run.Status);
        Assert.Equal(("terminated", "stuck deploy"), (run.Failure?.Kind, run.Failure?.Message));
        Assert.Empty(await env.Store.GetPendingActivitiesAsync(run.RunId));
        var closed = await handle.FetchHistoryAsync();
        Assert.Equal(EventType.WorkflowExecutionTerminated, closed[^1].EventType);

        activities.Gate.SetResult();
        await Eventually.TrueAsync(() => Task.FromResult(worker.InFlightActivities == 0), "the released activity to report");
        Assert.Equal(closed.Count, (await handle.FetchHistoryAsync()).Count);
        var late = new ActivityOutcome { Kind = ActivityOutcomeKind.Completed, Result = "\"late\"" };
        Assert.False((await env.Store.FinishActivityAttemptAsync(new ActivityTaskKey(run.RunId, Seq: 1, Attempt: 1), late, env.Clock.UtcNow)).Accepted);
    }
}

[Workflow]
internal sealed class GatedWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() =>
        Workflow.ExecuteActivityAsync((GatedActivities a) => a.WaitAtGateAsync(), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(5) });
}

/// <summary>An activity that runs until the test opens its gate.</summary>
internal sealed class GatedActivities
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Activity]
    public async Task<string> WaitAtGateAsync()
    {
        Entered.TrySetResult();
        await Gate.Task;
        return "done";
    }
}
