using Pipeline.Durable;

namespace Pipeline.Ui.Tests.Support;

/// <summary>Counts "rows scanned" and heartbeats them until cancelled (the world's teardown cancels it).</summary>
public sealed class ShardWatchActivities
{
    public const string ScannedDetail = "rows_scanned";

    [Activity]
    public async Task<int> WatchAsync(string shard)
    {
        var context = ActivityExecutionContext.Current;
        var scanned = 0;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            scanned += 1000;
            context.Heartbeat(new Dictionary<string, object> { [ScannedDetail] = scanned, ["shard"] = shard });
            try
            {
                await Task.Delay(100, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return scanned;
    }
}
