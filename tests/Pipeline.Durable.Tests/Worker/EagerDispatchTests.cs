using Pipeline.Durable.Client;
using Pipeline.Durable.History;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;
using Pipeline.Durable.Worker;

namespace Pipeline.Durable.Tests.Worker;

/// <summary>Eager dispatch (activities leased by the commit that schedules them; an activity's result and the decision
/// it wakes committed together) changes how many commits a step costs, never what a run does.</summary>
public sealed class EagerDispatchTests
{
    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("sqlite", true)]
    [InlineData("postgres", false)]
    [InlineData("postgres", true)]
    public async Task ErrandWorkflow_EagerDispatchOnOrOff_SameResultValidHistoryEachActivityOnce(string kind, bool disableEager)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        var activities = new ErrandActivities();
        await using var worker = new RunningWorker(env.Store, new WorkerOptions
        {
            TaskQueue = "errands",
            Clock = env.Clock,
            RunMaintenance = false,
            DisableEagerDispatch = disableEager,
            Identity = "worker",
        }, w => w.AddWorkflow<ErrandWorkflow>().AddActivities(activities));
        var handle = await env.Client.StartWorkflowAsync((ErrandWorkflow wf) => wf.RunAsync("tea"),
            new WorkflowOptions { Id = "errand", TaskQueue = "errands" });

        await env.DelayAsync(TimeSpan.FromHours(1));
        await Eventually.TrueAsync(async () => IsParked(await handle.FetchHistoryAsync(), completions: 3), "the run to wait for its signal");
        await handle.SignalAsync((ErrandWorkflow wf) => wf.ApproveAsync("ann"));

        Assert.Equal(ErrandWorkflow.Expected("tea", "ann"), await handle.GetResultAsync().WaitAsync(Eventually.Patience));
        HistoryAssert.Valid(await handle.FetchHistoryAsync(), typeof(ErrandWorkflow));
        Assert.Equal(4, activities.Calls.Count);
        Assert.All(activities.Calls, call => Assert.Equal(1, call.Value));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task EagerDispatch_ActivityOnOwnQueue_StartedByItsSchedulingCommitAndResultCommittedWithNextDecision(string kind)
    {
        var history = await RunTwoStepsAsync(kind, disableEager: false);

        foreach (var scheduled in history.Of(EventType.ActivityTaskScheduled))
        {
            var started = Assert.Single(history, e => e.EventType == EventType.ActivityTaskStarted && e.Seq == scheduled.Seq);
            Assert.Equal("eager-worker", started.Identity);
            // Leased in the scheduling transaction: its start time is that commit's time (stored in milliseconds).
            Assert.Equal(scheduled.Timestamp.ToUnixTimeMilliseconds(), started.Time?.ToUnixTimeMilliseconds());
            var completed = Assert.Single(history, e => e.EventType == EventType.ActivityTaskCompleted && e.Seq == scheduled.Seq);
            var next = history[(int)completed.EventId]; // ids are 1-based: this is the event after it
            Assert.Equal(EventType.WorkflowTaskCompleted, next.EventType);
            // One commit for the step: the decision was taken with the report, at the same instant of the real clock.
            Assert.Equal(completed.Timestamp, next.Timestamp);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task DisableEagerDispatch_ActivityOnOwnQueue_ResultAndNextDecisionCommittedSeparately(string kind)
    {
        var history = await RunTwoStepsAsync(kind, disableEager: true);

        foreach (var completed in history.Of(EventType.ActivityTaskCompleted))
        {
            var next = history[(int)completed.EventId];
            Assert.Equal(EventType.WorkflowTaskCompleted, next.EventType);
            Assert.True(next.Timestamp > completed.Timestamp, "the decision should come from a later poll, not the report's commit");
        }
    }

    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("sqlite", true)]
    [InlineData("postgres", false)]
    [InlineData("postgres", true)]
    public async Task EagerDispatch_RunClosesInTheTaskThatSchedulesAnActivity_ActivityNeverRuns(string kind, bool disableEager)
    {
        var activities = new ErrandActivities();
        await using var store = await TestStores.CreateAsync(kind);
        WorkflowHandle handle;
        await using (var worker = new RunningWorker(store, new WorkerOptions { TaskQueue = "parting", DisableEagerDispatch = disableEager },
            w => w.AddWorkflow<PartingShotWorkflow>().AddActivities(activities)))
        {
            handle = await new WorkflowClient(store).StartWorkflowAsync((PartingShotWorkflow wf) => wf.RunAsync(),
                new WorkflowOptions { Id = "parting", TaskQueue = "parting" });
            Assert.Equal("gone", await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));
        } // stopping the worker waits for every activity it started

        Assert.Empty(activities.Calls);
        var history = await handle.FetchHistoryAsync();
        Assert.Single(history.Of(EventType.ActivityTaskScheduled));
        Assert.Empty(history.Of(EventType.ActivityTaskStarted));
    }

    /// <summary>True once the run has had <paramref name="completions"/> activity results and decided on all of them.</summary>
    internal static bool IsParked(IReadOnlyList<HistoryEvent> history, int completions) =>
        history.Of(EventType.ActivityTaskCompleted).Count == completions && history[^1].EventType == EventType.WorkflowTaskCompleted;

    /// <summary>Runs <see cref="TwoStepWorkflow"/> on one real-clock worker and returns its history.</summary>
    private static async Task<IReadOnlyList<HistoryEvent>> RunTwoStepsAsync(string kind, bool disableEager)
    {
        await using var store = await TestStores.CreateAsync(kind);
        await using var worker = new RunningWorker(store, new WorkerOptions
        {
            TaskQueue = "steps",
            Identity = "eager-worker",
            DisableEagerDispatch = disableEager,
        }, w => w.AddWorkflow<TwoStepWorkflow>().AddActivities(new ErrandActivities()));
        var handle = await new WorkflowClient(store).StartWorkflowAsync((TwoStepWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "steps", TaskQueue = "steps" });
        Assert.Equal("echo one, echo two", await handle.GetResultAsync().WaitAsync(Eventually.Patience));
        var history = await handle.FetchHistoryAsync();
        HistoryAssert.Valid(history, typeof(TwoStepWorkflow));
        Assert.Equal(2, history.Of(EventType.ActivityTaskCompleted).Count);
        return history;
    }
}

[Workflow]
internal sealed class TwoStepWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var one = await Workflow.ExecuteActivityAsync((ErrandActivities a) => a.EchoAsync("one"), ErrandActivities.Options);
        var two = await Workflow.ExecuteActivityAsync((ErrandActivities a) => a.EchoAsync("two"), ErrandActivities.Options);
        return $"{one}, {two}";
    }
}

/// <summary>Schedules an activity and completes in the same workflow task, without waiting for it: closing the run
/// drops the activity, so it must never run, eager or not.</summary>
[Workflow]
internal sealed class PartingShotWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync()
    {
        _ = Workflow.ExecuteActivityAsync((ErrandActivities a) => a.EchoAsync("parting"), ErrandActivities.Options);
        return Task.FromResult("gone");
    }
}
