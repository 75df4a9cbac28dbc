using Pipeline.Durable.History;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Storage;

public sealed class HistoryTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task GetHistoryAsync_RunWithActivityTimerSignalAndRetry_EventIdsContiguousFromOne(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("busy", w => w.AddWorkflow<BusyWorkflow>().AddActivities(new BusyActivities()));
        var handle = await env.Client.StartWorkflowAsync((BusyWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "busy", TaskQueue = "busy" });
        await env.DelayAsync(TimeSpan.FromSeconds(2)); // past the activity's retry, into the wait for the signal
        Assert.True(await handle.HasEventAsync(EventType.TimerStarted), "the workflow should be waiting for its signal");
        await handle.SignalAsync((BusyWorkflow wf) => wf.GoAsync());
        await handle.GetResultAsync().WaitAsync(Eventually.Patience);

        var history = await handle.FetchHistoryAsync();

        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.EventId));
        Assert.Equal(history.Count, (await handle.DescribeRunAsync()).LastEventId);
        Assert.Equal(EventType.WorkflowExecutionStarted, history[0].EventType);
        Assert.Equal(EventType.WorkflowExecutionCompleted, history[^1].EventType);
        // Every kind of event the run went through is in the one sequence.
        Assert.Subset(history.Select(e => e.EventType).ToHashSet(), new HashSet<EventType>
        {
            EventType.ActivityTaskAttemptFailed, EventType.ActivityTaskCompleted, EventType.TimerStarted, EventType.TimerCanceled,
            EventType.WorkflowExecutionSignaled,
        });
    }
}

/// <summary>An activity that needs one retry, then a wait for a signal with a timeout.</summary>
[Workflow]
internal sealed class BusyWorkflow
{
    private bool _go;

    [WorkflowSignal]
    public Task GoAsync()
    {
        _go = true;
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<bool> RunAsync()
    {
        await Workflow.ExecuteActivityAsync((BusyActivities a) => a.FailOnceAsync(), new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromMinutes(1),
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromSeconds(1) },
        });
        return await Workflow.WaitConditionAsync(() => _go, TimeSpan.FromDays(1));
    }
}

internal sealed class BusyActivities
{
    [Activity]
    public Task FailOnceAsync() => ActivityExecutionContext.Current.Info.Attempt == 1
        ? throw new ApplicationFailureException("first attempt fails")
        : Task.CompletedTask;
}
