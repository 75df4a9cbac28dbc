using Pipeline.Durable.History;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Workflows;

public sealed class CancellationTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CancelAsync_WaitCancellationCompleted_ActivitySeesCancelRequestedAndRunEndsCancelled(string kind)
    {
        var activities = new CancellableActivities();
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("cancel", w => w.AddWorkflow<CancellableWorkflow>().AddActivities(activities));

        var handle = await env.Client.StartWorkflowAsync(
            (CancellableWorkflow wf) => wf.RunAsync(ActivityCancellationType.WaitCancellationCompleted),
            new WorkflowOptions { Id = "cancel-wait", TaskQueue = "cancel" });
        await activities.Started.Task.WaitAsync(Eventually.Patience);
        await handle.CancelAsync("operator changed their mind");
        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));

        Assert.Equal(RunStatus.Cancelled, error.Status);
        Assert.Equal("cancel_requested", await activities.Stopped.Task.WaitAsync(Eventually.Patience));
        // The workflow waited for the activity to acknowledge before it closed.
        Assert.Equal(
            [EventType.WorkflowExecutionCancelRequested, EventType.ActivityTaskCancelRequested, EventType.ActivityTaskCanceled,
                EventType.WorkflowExecutionCanceled],
            (await handle.FetchHistoryAsync()).Select(e => e.EventType).Where(IsCancellationEvent));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CancelAsync_TryCancel_WorkflowResumesAtOnceWithoutWaitingForActivity(string kind)
    {
        var activities = new CancellableActivities();
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("cancel", w => w.AddWorkflow<CancellableWorkflow>().AddActivities(activities));

        var handle = await env.Client.StartWorkflowAsync((CancellableWorkflow wf) => wf.RunAsync(ActivityCancellationType.TryCancel),
            new WorkflowOptions { Id = "cancel-try", TaskQueue = "cancel" });
        await activities.Started.Task.WaitAsync(Eventually.Patience);
        await handle.CancelAsync();

        Assert.Equal("cancelled at once", await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));
        var history = await handle.FetchHistoryAsync();
        Assert.Empty(history.Of(EventType.ActivityTaskCanceled));
        // The cancel request and the completion were decided in the same workflow task.
        var tail = history.SkipWhile(e => e.EventType != EventType.ActivityTaskCancelRequested).Select(e => e.EventType);
        Assert.Equal([EventType.ActivityTaskCancelRequested, EventType.WorkflowExecutionCompleted], tail);
        // The run closed under the activity, so its next heartbeat finds the attempt gone.
        Assert.Equal("not_current", await activities.Stopped.Task.WaitAsync(Eventually.Patience));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CancelAsync_ActivitiesNotYetStarted_CancelledOnTheSpotAndRunEndsCancelled(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("cancel", w => w.AddWorkflow<UnstartedActivitiesWorkflow>());

        var handle = await env.Client.StartWorkflowAsync((UnstartedActivitiesWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "cancel-unstarted", TaskQueue = "cancel" });
        await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.ActivityTaskScheduled), "the activities to be scheduled");
        await handle.CancelAsync();
        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));

        Assert.Equal(RunStatus.Cancelled, error.Status);
        var canceled = (await handle.FetchHistoryAsync()).Of(EventType.ActivityTaskCanceled);
        Assert.Equal([1, 2], canceled.Select(e => e.Seq).Order());
        Assert.All(canceled, e => Assert.Equal("cancelled before it started", e.Failure?.Message));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task DelayAsync_OwnTokenCancelled_TimerCancelledNotFired(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("timer", w => w.AddWorkflow<CancellableTimerWorkflow>());
        var start = env.Clock.UtcNow;

        var handle = await env.Client.StartWorkflowAsync((CancellableTimerWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "timer-cancel", TaskQueue = "timer" });
        await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.TimerStarted), "the timer to start");
        await handle.SignalAsync((CancellableTimerWorkflow wf) => wf.StopWaitingAsync());

        Assert.Equal("timer cancelled", await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));
        var history = await handle.FetchHistoryAsync();
        Assert.Single(history.Of(EventType.TimerCanceled));
        Assert.Empty(history.Of(EventType.TimerFired));
        Assert.True(env.Clock.UtcNow - start < TimeSpan.FromDays(1), "the clock skipped to the cancelled timer");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CancelAsync_WorkflowWaitingOnTimer_TimerCancelledAndRunCancelled(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("timer", w => w.AddWorkflow<CancellableTimerWorkflow>());

        var handle = await env.Client.StartWorkflowAsync((CancellableTimerWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "timer-run-cancel", TaskQueue = "timer" });
        await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.TimerStarted), "the timer to start");
        await handle.CancelAsync();
        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));

        Assert.Equal(RunStatus.Cancelled, error.Status);
        Assert.Equal([EventType.TimerCanceled, EventType.WorkflowExecutionCanceled],
            (await handle.FetchHistoryAsync()).TakeLast(2).Select(e => e.EventType));
    }

    private static bool IsCancellationEvent(EventType t) => t is EventType.WorkflowExecutionCancelRequested
        or EventType.ActivityTaskCancelRequested or EventType.ActivityTaskCanceled or EventType.WorkflowExecutionCanceled;
}

[Workflow]
internal sealed class CancellableWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(ActivityCancellationType cancellationType)
    {
        try
        {
            await Workflow.ExecuteActivityAsync((CancellableActivities a) => a.WorkUntilCancelledAsync(), new ActivityOptions
            {
                StartToCloseTimeout = TimeSpan.FromMinutes(10),
                HeartbeatTimeout = TimeSpan.FromMilliseconds(100),
                CancellationType = cancellationType,
            });
            return "activity finished";
        }
        catch (ActivityFailureException e) when (e.InnerException is CanceledFailureException
            && cancellationType == ActivityCancellationType.TryCancel)
        {
            return "cancelled at once";
        }
    }
}

/// <summary>Two activities on a queue no worker polls, so a cancel finds them not yet started.</summary>
[Workflow]
internal sealed class UnstartedActivitiesWorkflow
{
    [WorkflowRun]
    public Task RunAsync()
    {
        var options = new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromMinutes(1),
            TaskQueue = "nobody-polls-this",
            CancellationType = ActivityCancellationType.WaitCancellationCompleted,
        };
        return Task.WhenAll(Workflow.ExecuteActivityAsync("First", [], options), Workflow.ExecuteActivityAsync("Second", [], options));
    }
}

/// <summary>An activity that heartbeats until its token fires and reports why it fired.</summary>
internal sealed class CancellableActivities
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<string?> Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Activity]
    public async Task WorkUntilCancelledAsync()
    {
        var ctx = ActivityExecutionContext.Current;
        Started.TrySetResult();
        try
        {
            while (true)
            {
                ctx.Heartbeat();
                await Task.Delay(TimeSpan.FromMilliseconds(10), ctx.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            Stopped.TrySetResult(ctx.CancelReason);
            throw;
        }
    }
}

[Workflow]
internal sealed class CancellableTimerWorkflow
{
    private readonly CancellationTokenSource _stopWaiting = new();

    [WorkflowSignal]
    public Task StopWaitingAsync()
    {
        _stopWaiting.Cancel();
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(_stopWaiting.Token, Workflow.CancellationToken);
        try
        {
            await Workflow.DelayAsync(TimeSpan.FromDays(1), either.Token);
            return "timer fired";
        }
        catch (OperationCanceledException) when (!Workflow.CancellationToken.IsCancellationRequested)
        {
            return "timer cancelled";
        }
    }
}
