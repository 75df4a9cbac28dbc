using Pipeline.Durable.History;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Workflows;

public sealed class SignalQueryTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task SignalAsync_WorkflowWaitingOnCondition_WakesItAndCancelsTheTimeout(string kind)
    {
        await using var env = await StartAsync(kind);
        var handle = await env.Client.StartWorkflowAsync((ApprovalWorkflow wf) => wf.RunAsync(new ApprovalRequest(Needed: 2, TimeoutHours: 24)),
            new WorkflowOptions { Id = "approve", TaskQueue = "approval" });
        await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.TimerStarted), "the workflow to wait for approvals");

        await handle.SignalAsync((ApprovalWorkflow wf) => wf.ApproveAsync("ann"));
        await handle.SignalAsync((ApprovalWorkflow wf) => wf.ApproveAsync("bob"));

        Assert.Equal("approved by ann, bob", await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));
        var history = await handle.FetchHistoryAsync();
        Assert.Single(history.Of(EventType.TimerCanceled));
        Assert.Empty(history.Of(EventType.TimerFired));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task SignalAsync_ManyConcurrentSignalsWhileWorkflowRuns_NoneLost(string kind)
    {
        await using var env = await StartAsync(kind);
        var handle = await env.Client.StartWorkflowAsync((ApprovalWorkflow wf) => wf.RunAsync(new ApprovalRequest(Needed: 40, TimeoutHours: 24)),
            new WorkflowOptions { Id = "approve-many", TaskQueue = "approval" });

        // Signals race with the workflow tasks they trigger: commits on a stale history must be replayed, not lost.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => handle.SignalAsync((ApprovalWorkflow wf) => wf.ApproveAsync($"u{i}"))));

        var result = await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience);
        Assert.Equal(40, result!.Split(", ").Distinct().Count());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task WaitConditionAsync_TimeoutBeforeSignal_ReturnsFalse(string kind)
    {
        await using var env = await StartAsync(kind);
        var start = env.Clock.UtcNow;

        var handle = await env.Client.StartWorkflowAsync((ApprovalWorkflow wf) => wf.RunAsync(new ApprovalRequest(Needed: 1, TimeoutHours: 24)),
            new WorkflowOptions { Id = "approve-timeout", TaskQueue = "approval" });

        Assert.Equal("timed out", await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));
        Assert.Single((await handle.FetchHistoryAsync()).Of(EventType.TimerFired));
        Assert.Equal(start.AddHours(24), (await handle.DescribeRunAsync()).ClosedAt);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task QueryAsync_OpenAndClosedRun_ReturnsStateReplayedFromHistory(string kind)
    {
        await using var env = await StartAsync(kind);
        var handle = await env.Client.StartWorkflowAsync((ApprovalWorkflow wf) => wf.RunAsync(new ApprovalRequest(Needed: 2, TimeoutHours: 24)),
            new WorkflowOptions { Id = "approve-query", TaskQueue = "approval" });
        await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.TimerStarted), "the workflow to wait for approvals");
        await handle.SignalAsync((ApprovalWorkflow wf) => wf.ApproveAsync("ann"));

        Assert.Equal(["ann"], await handle.QueryAsync((ApprovalWorkflow wf) => wf.Approvals));

        await handle.SignalAsync((ApprovalWorkflow wf) => wf.ApproveAsync("bob"));
        await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience);
        Assert.Equal(["ann", "bob"], await handle.QueryAsync((ApprovalWorkflow wf) => wf.Approvals));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task QueryManyJsonAsync_OpenAndClosedRun_AnswersEachAsItsOwnQueryWould(string kind)
    {
        await using var env = await StartAsync(kind);
        var handle = await env.Client.StartWorkflowAsync((ApprovalWorkflow wf) => wf.RunAsync(new ApprovalRequest(Needed: 1, TimeoutHours: 24)),
            new WorkflowOptions { Id = "approve-query-many", TaskQueue = "approval" });
        await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.TimerStarted), "the workflow to wait for approvals");

        var open = await handle.QueryManyJsonAsync(["Approvals", "Phase"]);

        Assert.Equal(await handle.QueryJsonAsync("Approvals"), open["Approvals"]);
        Assert.Equal("\"waiting\"", open["Phase"]);

        await handle.SignalAsync((ApprovalWorkflow wf) => wf.ApproveAsync("ann"));
        await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience);
        var closed = await handle.QueryManyJsonAsync(["Approvals", "Phase"]);

        Assert.Equal("[\"ann\"]", closed["Approvals"]);
        Assert.Equal("\"decided\"", closed["Phase"]);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => handle.QueryManyJsonAsync(["Approvals", "Nope"]));
        Assert.Contains("no query 'Nope'", unknown.Message);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task SignalAsync_ClosedRun_ThrowsNamingItsStatus(string kind)
    {
        await using var env = await StartAsync(kind);
        var handle = await env.Client.StartWorkflowAsync((ApprovalWorkflow wf) => wf.RunAsync(new ApprovalRequest(Needed: 0, TimeoutHours: 1)),
            new WorkflowOptions { Id = "approve-closed", TaskQueue = "approval" });
        await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => handle.SignalAsync((ApprovalWorkflow wf) => wf.ApproveAsync("late")));

        Assert.Contains("is completed", error.Message);
        Assert.Contains("can no longer be signalled", error.Message);
        Assert.Empty((await handle.FetchHistoryAsync()).Of(EventType.WorkflowExecutionSignaled));
    }

    private static async Task<WorkflowEnvironment> StartAsync(string kind)
    {
        var env = await WorkflowEnvironment.StartTimeSkippingAsync(workflows: [typeof(ApprovalWorkflow)], store: await TestStores.CreateAsync(kind));
        env.NewWorker("approval", w => w.AddWorkflow<ApprovalWorkflow>());
        return env;
    }
}

internal sealed record ApprovalRequest(int Needed, double TimeoutHours);

[Workflow]
internal sealed class ApprovalWorkflow
{
    private readonly List<string> _approvals = [];

    [WorkflowQuery]
    public IReadOnlyList<string> Approvals => _approvals;

    [WorkflowQuery]
    public string Phase { get; private set; } = "waiting";

    [WorkflowSignal]
    public Task ApproveAsync(string by)
    {
        _approvals.Add(by);
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<string> RunAsync(ApprovalRequest request)
    {
        var approved = await Workflow.WaitConditionAsync(() => _approvals.Count >= request.Needed, TimeSpan.FromHours(request.TimeoutHours));
        Phase = "decided";
        return approved ? $"approved by {string.Join(", ", _approvals)}" : "timed out";
    }
}
