using Pipeline.Durable.History;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;
using Pipeline.Durable.Tests.Workflows;
using Pipeline.Durable.Worker;

namespace Pipeline.Durable.Tests.Worker;

/// <summary>The sticky cache: a worker keeps the runs whose last task it committed and carries them on with only
/// the new events. Whatever it keeps or drops, runs must end as a full replay would have them end.</summary>
public sealed class StickyCacheTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task MaxCachedWorkflowsOne_ManyConcurrentRuns_AllCompleteWithValidHistories(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        var activities = new ErrandActivities();
        var logs = new LogCollector();
        await using var worker = new RunningWorker(env.Store, new WorkerOptions
        {
            TaskQueue = "crowd",
            Clock = env.Clock,
            RunMaintenance = false,
            Identity = "worker",
            LoggerFactory = logs,
            MaxCachedWorkflows = 1,
            MaxConcurrentWorkflowTasks = 4,
            MaxConcurrentActivities = 3,
        }, w => w.AddWorkflow<ErrandWorkflow>().AddActivities(activities));
        const int runs = 16;
        var handles = await Task.WhenAll(Enumerable.Range(0, runs).Select(i => env.Client.StartWorkflowAsync(
            (ErrandWorkflow wf) => wf.RunAsync($"r{i}"), new WorkflowOptions { Id = $"crowd-{i}", TaskQueue = "crowd" })));
        // Each signal lands wherever its run happens to be: before, during or after the wait for it.
        await Task.WhenAll(handles.Select((h, i) => h.SignalAsync((ErrandWorkflow wf) => wf.ApproveAsync($"a{i}"))));

        var results = await Task.WhenAll(handles.Select(h => h.GetResultAsync().WaitAsync(Eventually.Patience)));

        Assert.Equal(Enumerable.Range(0, runs).Select(i => ErrandWorkflow.Expected($"r{i}", $"a{i}")), results);
        foreach (var handle in handles) HistoryAssert.Valid(await handle.FetchHistoryAsync(), typeof(ErrandWorkflow));
        Assert.Equal(4 * runs, activities.Calls.Count);
        Assert.All(activities.Calls, call => Assert.Equal(1, call.Value));
        Assert.Empty(logs.Problems);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ChangedCode_StepDecidedFromCache_NextWorkerFailsRunWithNonDeterminism(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        var handle = await env.Client.StartWorkflowAsync((TallyWorkflowV1 wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "tally", TaskQueue = "tally" });
        await using (new RunningWorker(env.Store, new WorkerOptions { TaskQueue = "tally", Clock = env.Clock, RunMaintenance = false },
            w => w.AddWorkflow<TallyWorkflowV1>().AddActivities(new VersioningActivities())))
        {
            // The second step is decided from version 1's cached instance (inline, with the first step's result).
            await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.TimerStarted), "the version-1 run to reach its timer");
        }

        env.NewWorker("tally", w => w.AddWorkflow<TallyWorkflowV2>().AddActivities(new VersioningActivities()));
        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));

        Assert.Equal(("nondeterminism", RunStatus.Failed), (error.Failure?.Kind, error.Status));
        var stepB = Assert.Single((await handle.FetchHistoryAsync()).Of(EventType.ActivityTaskScheduled), e => e.Name == "StepB");
        Assert.Contains($"at event {stepB.EventId}", error.Failure?.Message);
        Assert.Contains("history records ActivityTaskScheduled 'StepB' (seq 2)", error.Failure?.Message);
        Assert.Contains("now issues ScheduleActivity 'StepC' (seq 2)", error.Failure?.Message);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task StaleCache_CarriedOnOverStepsDecidedByOtherCode_RunFailsWithNonDeterminism(string kind)
    {
        // Worker B (version 2) decides the first task and keeps the run cached. Its clock lags, so the timer's task
        // (visible from the timer's fire time) goes to worker A (version 1), which decides the next steps. Then B's
        // clock catches up and B takes the signal's task: its cached instance is extended with A's steps, which
        // version 2 would not have taken, and the replay of those steps must say so.
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        var laggingClock = new TestClock(env.Clock.UtcNow);
        await using var b = new RunningWorker(env.Store, new WorkerOptions
        {
            TaskQueue = "ledger",
            Clock = laggingClock,
            RunMaintenance = false,
            Identity = "worker-b",
        }, w => w.AddWorkflow<LedgerWorkflowV2>().AddActivities(new VersioningActivities()));
        var handle = await env.Client.StartWorkflowAsync((LedgerWorkflowV2 wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "ledger", TaskQueue = "ledger" });
        await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.TimerStarted), "worker B to decide the first task");

        await using (new RunningWorker(env.Store, new WorkerOptions
        {
            TaskQueue = "ledger",
            Clock = env.Clock,
            RunMaintenance = false,
            Identity = "worker-a",
        }, w => w.AddWorkflow<LedgerWorkflowV1>().AddActivities(new VersioningActivities())))
        {
            await env.DelayAsync(TimeSpan.FromHours(1)); // fires the timer and waits until A has decided all it can
        }
        var steps = await handle.FetchHistoryAsync();
        Assert.Equal("worker-a", steps.Of(EventType.WorkflowTaskCompleted)[^1].Identity);
        await handle.SignalAsync((LedgerWorkflowV2 wf) => wf.CloseAsync());
        laggingClock.AdvanceTo(env.Clock.UtcNow);
        env.Store.WakeAllPollers();

        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));

        Assert.Equal(("nondeterminism", RunStatus.Failed), (error.Failure?.Kind, error.Status));
        var stepA = Assert.Single(steps.Of(EventType.ActivityTaskScheduled));
        Assert.Contains($"at event {stepA.EventId}", error.Failure?.Message);
        Assert.Contains("history records ActivityTaskScheduled 'StepA' (seq 2)", error.Failure?.Message);
        Assert.Contains("now issues ScheduleActivity 'StepC' (seq 2)", error.Failure?.Message);
        Assert.Equal("worker-b", (await handle.FetchHistoryAsync()).Of(EventType.WorkflowTaskCompleted)[^1].Identity);
    }
}

[Workflow("Tally")]
internal sealed class TallyWorkflowV1
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var a = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepAAsync(), VersioningActivities.Options);
        var b = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepBAsync(), VersioningActivities.Options);
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        return a + b;
    }
}

/// <summary>Version 1 with its second step swapped for another activity and no patch.</summary>
[Workflow("Tally")]
internal sealed class TallyWorkflowV2
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var a = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepAAsync(), VersioningActivities.Options);
        var c = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepCAsync(), VersioningActivities.Options);
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        return a + c;
    }
}

[Workflow("Ledger")]
internal sealed class LedgerWorkflowV1
{
    private bool _closed;

    [WorkflowSignal]
    public Task CloseAsync()
    {
        _closed = true;
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        var a = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepAAsync(), VersioningActivities.Options);
        await Workflow.WaitConditionAsync(() => _closed);
        return a;
    }
}

/// <summary>Version 1 with the step after the timer swapped for another activity and no patch.</summary>
[Workflow("Ledger")]
internal sealed class LedgerWorkflowV2
{
    private bool _closed;

    [WorkflowSignal]
    public Task CloseAsync()
    {
        _closed = true;
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        var c = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepCAsync(), VersioningActivities.Options);
        await Workflow.WaitConditionAsync(() => _closed);
        return c;
    }
}
