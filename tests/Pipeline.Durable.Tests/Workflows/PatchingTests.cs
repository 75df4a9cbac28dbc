using Pipeline.Durable.Client;
using Pipeline.Durable.History;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;
using Pipeline.Durable.Worker;

namespace Pipeline.Durable.Tests.Workflows;

/// <summary>A code change deployed while a run is in flight: the old run replays the old branch, new runs take
/// the new one. Version 1 runs on a worker that is then stopped; version 2 is registered under the same name.</summary>
public sealed class PatchingTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Patched_RunStartedBeforePatch_ReplaysOldBranchAndNewRunTakesNewBranch(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        var old = await StartOnVersion1Async(env);

        env.NewWorker("orders", w => w.AddWorkflow<OrderWorkflowV2>().AddActivities(new VersioningActivities()));
        var fresh = await env.Client.StartWorkflowAsync((OrderWorkflowV2 wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "order-new", TaskQueue = "orders" });

        Assert.Equal("A,B", await old.GetResultAsync<string>().WaitAsync(Eventually.Patience));
        Assert.Empty((await old.FetchHistoryAsync()).Of(EventType.MarkerRecorded));
        Assert.Equal("A2,B", await fresh.GetResultAsync<string>().WaitAsync(Eventually.Patience));
        var marker = Assert.Single((await fresh.FetchHistoryAsync()).Of(EventType.MarkerRecorded));
        Assert.Equal(("patch", "use-a2"), (marker.Name, marker.Details));
    }

    /// <summary>Starts a run on a version-1 worker and stops that worker once the run waits on its timer.</summary>
    private static async Task<WorkflowHandle> StartOnVersion1Async(WorkflowEnvironment env)
    {
        await using var v1 = new RunningWorker(env.Store, new WorkerOptions { TaskQueue = "orders", Clock = env.Clock, RunMaintenance = false },
            w => w.AddWorkflow<OrderWorkflowV1>().AddActivities(new VersioningActivities()));
        var handle = await env.Client.StartWorkflowAsync((OrderWorkflowV1 wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "order-old", TaskQueue = "orders" });
        await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.TimerStarted), "the version-1 run to reach its timer");
        return handle;
    }
}

[Workflow("Order")]
internal sealed class OrderWorkflowV1
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var a = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepAAsync(), VersioningActivities.Options);
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        var b = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepBAsync(), VersioningActivities.Options);
        return $"{a},{b}";
    }
}

[Workflow("Order")]
internal sealed class OrderWorkflowV2
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var a = Workflow.Patched("use-a2")
            ? await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepA2Async(), VersioningActivities.Options)
            : await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepAAsync(), VersioningActivities.Options);
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        var b = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepBAsync(), VersioningActivities.Options);
        return $"{a},{b}";
    }
}
