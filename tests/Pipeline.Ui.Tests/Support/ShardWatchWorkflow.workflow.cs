using Pipeline.Durable;

namespace Pipeline.Ui.Tests.Support;

/// <summary>One long activity that heartbeats its progress until it is cancelled: the UI's pending activity with a
/// last heartbeat and its details.</summary>
[Workflow]
public sealed class ShardWatchWorkflow
{
    public const string TaskQueue = "watch";

    [WorkflowRun]
    public async Task<int> RunAsync(string shard) =>
        await Workflow.ExecuteActivityAsync((ShardWatchActivities a) => a.WatchAsync(shard), new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromDays(1),
            HeartbeatTimeout = TimeSpan.FromMinutes(10),
        });
}
