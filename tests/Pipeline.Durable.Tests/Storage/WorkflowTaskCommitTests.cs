using Pipeline.Durable.History;
using Pipeline.Durable.Runtime;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Storage;

/// <summary>The store's workflow-task protocol, called directly: lease, optimistic commit, release.</summary>
public sealed class WorkflowTaskCommitTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CompleteWorkflowTask_HistoryChangedSinceLease_ReturnsFalseAndReleasesTask(string kind)
    {
        await using var store = await TestStores.CreateAsync(kind);
        var start = await StartAsync(store);
        var stale = await store.PollWorkflowTaskAsync("q", "worker-1", Now) ?? throw new InvalidOperationException("no task to lease");
        Assert.True(await store.SignalAsync(start.RunId, "poke", "[]", "test", Now));

        var committed = await store.CompleteWorkflowTaskAsync(stale, [new CompleteWorkflowCommand("\"stale\"")], Now);

        Assert.False(committed.Accepted);
        var run = await store.GetRunAsync("wf", start.RunId);
        Assert.Equal(RunStatus.Running, run?.Status);
        // Released at once, not when its lease would have run out: the next poll replays the new history.
        var fresh = await store.PollWorkflowTaskAsync("q", "worker-2", Now);
        Assert.NotNull(fresh);
        Assert.Equal(EventType.WorkflowExecutionSignaled, fresh.History[^1].EventType);
        Assert.True((await store.CompleteWorkflowTaskAsync(fresh, [new CompleteWorkflowCommand("\"fresh\"")], Now)).Accepted);
        Assert.Equal(("\"fresh\"", RunStatus.Completed), ((await store.GetRunAsync("wf", start.RunId))?.Result, (await store.GetRunAsync("wf"))?.Status));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PollWorkflowTask_TaskLeased_SecondPollerGetsNothingUntilLeaseExpires(string kind)
    {
        await using var store = await TestStores.CreateAsync(kind);
        await StartAsync(store);

        Assert.NotNull(await store.PollWorkflowTaskAsync("q", "worker-1", Now));

        Assert.Null(await store.PollWorkflowTaskAsync("q", "worker-2", Now.AddSeconds(9)));
        var taken = await store.PollWorkflowTaskAsync("q", "worker-2", Now.AddSeconds(10));
        Assert.Equal("worker-2", taken?.Identity);
    }

    private static Task<StartResult> StartAsync(IWorkflowStore store) =>
        store.StartWorkflowAsync(new StartWorkflowRequest
        {
            WorkflowId = "wf",
            WorkflowType = "Any",
            TaskQueue = "q",
            Input = "[]",
            WorkflowTaskTimeout = TimeSpan.FromSeconds(10),
        }, Now);
}
