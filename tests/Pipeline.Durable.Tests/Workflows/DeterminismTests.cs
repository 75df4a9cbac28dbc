using Pipeline.Durable.History;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Workflows;

public sealed class DeterminismTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task WorkflowApi_ReplayedAcrossDurableTimer_ReturnsTheValuesOfTheFirstRun(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(workflows: [typeof(SnapshotWorkflow)],
            store: await TestStores.CreateAsync(kind));
        env.NewWorker("snap", w => w.AddWorkflow<SnapshotWorkflow>());
        var start = env.Clock.UtcNow;

        var handle = await env.Client.StartWorkflowAsync((SnapshotWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "snapshot", TaskQueue = "snap" });
        await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.TimerStarted), "the workflow to reach its timer");
        // Each query replays the history in a fresh workflow object.
        var queried = await handle.QueryAsync((SnapshotWorkflow wf) => wf.Before);
        var queriedAgain = await handle.QueryAsync((SnapshotWorkflow wf) => wf.Before);
        var result = await handle.GetResultAsync().WaitAsync(Eventually.Patience);

        Assert.NotNull(result);
        Assert.NotEqual(Guid.Empty, result.Before.Guid);
        Assert.Equal(result.Before, queried);
        Assert.Equal(result.Before, queriedAgain);
        Assert.Equal(result.Before, await handle.QueryAsync((SnapshotWorkflow wf) => wf.Before));
        Assert.Equal(start.UtcDateTime, result.Before.Time);
        Assert.Equal(TimeSpan.FromHours(1), result.After.Time - result.Before.Time);
        Assert.NotEqual(result.Before.Guid, result.After.Guid);
    }
}

internal sealed record Snapshot(Guid Guid, int Random, DateTime Time);

internal sealed record SnapshotPair(Snapshot Before, Snapshot After);

/// <summary>Takes a snapshot of the workflow's clock, guid and random source before and after a durable timer.</summary>
[Workflow]
internal sealed class SnapshotWorkflow
{
    [WorkflowQuery]
    public Snapshot? Before { get; private set; }

    [WorkflowRun]
    public async Task<SnapshotPair> RunAsync()
    {
        Before = Take();
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        return new SnapshotPair(Before, Take());
    }

    private static Snapshot Take() => new(Workflow.NewGuid(), Workflow.Random.Next(), Workflow.UtcNow);
}
