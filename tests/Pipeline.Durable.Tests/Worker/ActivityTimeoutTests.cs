using Pipeline.Durable.Client;
using Pipeline.Durable.History;
using Pipeline.Durable.Tests.Support;
using Pipeline.Durable.Worker;

namespace Pipeline.Durable.Tests.Worker;

/// <summary>Timeouts on the real clock: a real worker with maintenance on, and timeouts of about a second.</summary>
public sealed class ActivityTimeoutTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Heartbeat_StopsBeforeHeartbeatTimeout_AttemptTimedOutAndRetryResumesFromDetails(string kind)
    {
        var (_, value, firstFailure) = await RunWedgedActivityAsync(kind,
            new StuckRequest(StartToClose: TimeSpan.FromSeconds(30), Heartbeat: TimeSpan.FromSeconds(1)));

        Assert.Equal("attempt 2 resumed from 5", value);
        Assert.Equal(("timeout", nameof(TimeoutType.Heartbeat)), (firstFailure?.Kind, firstFailure?.TimeoutType));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task StartToClose_AttemptRunsTooLong_AttemptTimedOutAndRetryResumesFromDetails(string kind)
    {
        var (activities, value, firstFailure) = await RunWedgedActivityAsync(kind,
            new StuckRequest(StartToClose: TimeSpan.FromSeconds(1), Heartbeat: null));

        Assert.Equal("attempt 2 resumed from 5", value);
        Assert.Equal(("timeout", nameof(TimeoutType.StartToClose)), (firstFailure?.Kind, firstFailure?.TimeoutType));
        // The worker cancels the attempt's token itself when its start-to-close time is up.
        Assert.Equal("cancelled: timed_out", await activities.FirstAttemptEnded.Task.WaitAsync(Eventually.Patience));
    }

    /// <summary>Runs the wedged activity under <paramref name="request"/>'s timeouts to its result; returns the
    /// result and the failure recorded for the first attempt.</summary>
    private static async Task<(StuckActivities, string?, Failure?)> RunWedgedActivityAsync(string kind, StuckRequest request)
    {
        var activities = new StuckActivities();
        await using var store = await TestStores.CreateAsync(kind);
        await using var worker = new RunningWorker(store, new WorkerOptions
        {
            TaskQueue = "stuck",
            GracefulShutdownTimeout = TimeSpan.FromMilliseconds(100),
        }, w => w.AddWorkflow<StuckActivityWorkflow>().AddActivities(activities));
        var client = new WorkflowClient(store);

        var handle = await client.StartWorkflowAsync((StuckActivityWorkflow wf) => wf.RunAsync(request),
            new WorkflowOptions { Id = "stuck", TaskQueue = "stuck" });
        var value = await handle.GetResultAsync().WaitAsync(Eventually.Patience);

        var firstFailure = Assert.Single((await handle.FetchHistoryAsync()).Of(EventType.ActivityTaskAttemptFailed)).Failure;
        return (activities, value, firstFailure);
    }
}

internal sealed record StuckRequest(TimeSpan? StartToClose, TimeSpan? Heartbeat);

[Workflow]
internal sealed class StuckActivityWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(StuckRequest request) =>
        Workflow.ExecuteActivityAsync((StuckActivities a) => a.StopsHeartbeatingAsync(), new ActivityOptions
        {
            StartToCloseTimeout = request.StartToClose,
            HeartbeatTimeout = request.Heartbeat,
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(50), MaximumAttempts = 3 },
        });
}

/// <summary>The first attempt records progress 5, then hangs without heartbeating (a wedged worker); later
/// attempts resume from the recorded progress.</summary>
internal sealed class StuckActivities
{
    public TaskCompletionSource<string> FirstAttemptEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Activity]
    public async Task<string> StopsHeartbeatingAsync()
    {
        var ctx = ActivityExecutionContext.Current;
        if (ctx.Info.Attempt > 1)
        {
            var from = ctx.TryGetHeartbeatDetail<int>(0, out var progress) ? progress : 0;
            return $"attempt {ctx.Info.Attempt} resumed from {from}";
        }
        ctx.Heartbeat(5);
        try
        {
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
        }
        finally
        {
            FirstAttemptEnded.TrySetResult(ctx.CancellationToken.IsCancellationRequested ? $"cancelled: {ctx.CancelReason}" : "returned");
        }
        return "unreachable";
    }
}
