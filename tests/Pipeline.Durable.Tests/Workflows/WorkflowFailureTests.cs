using System.Collections.Concurrent;
using Pipeline.Durable.History;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;
using Pipeline.Durable.Worker;

namespace Pipeline.Durable.Tests.Workflows;

public sealed class WorkflowFailureTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Run_ApplicationFailureEscapes_RunFailedWithFailureRecorded(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("fail", w => w.AddWorkflow<RejectingWorkflow>());

        var handle = await env.Client.StartWorkflowAsync((RejectingWorkflow wf) => wf.RunAsync("order-7"),
            new WorkflowOptions { Id = "reject", TaskQueue = "fail" });
        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().WaitAsync(Eventually.Patience));

        Assert.Equal(RunStatus.Failed, error.Status);
        var run = await handle.DescribeRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(("application", "Rejected", "order-7 is out of stock"), (run.Failure?.Kind, run.Failure?.ErrorType, run.Failure?.Message));
        var closing = (await handle.FetchHistoryAsync())[^1];
        Assert.Equal(EventType.WorkflowExecutionFailed, closing.EventType);
        Assert.Equal("Rejected", closing.Failure?.ErrorType);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Run_PlainExceptionFromBug_RunStaysRunningAndTaskRetriedUntilFixed(string kind)
    {
        var id = $"bug-retried-{kind}";
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("bug", w => w.AddWorkflow<BuggyWorkflow>());

        var handle = await env.Client.StartWorkflowAsync((BuggyWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = id, TaskQueue = "bug" });
        await Eventually.TrueAsync(() => handle.HasEventAsync(EventType.WorkflowTaskFailed), "the first workflow task to fail");
        // Task retries back off 1, 2, 4, 8 s: 30 s of workflow time is at least 4 more attempts.
        await env.DelayAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(RunStatus.Running, (await handle.DescribeRunAsync()).Status);
        Assert.True(BuggyWorkflow.Executions(id) >= 5, $"workflow code ran {BuggyWorkflow.Executions(id)} time(s); expected >= 5");
        var failed = Assert.Single((await handle.FetchHistoryAsync()).Of(EventType.WorkflowTaskFailed));
        Assert.Equal(("workflow_task", nameof(InvalidOperationException)), (failed.Failure?.Kind, failed.Failure?.ErrorType));

        BuggyWorkflow.Fix(id);
        Assert.Equal("fixed", await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Run_ExceptionTypeInWorkflowFailureExceptionTypes_RunFails(string kind)
    {
        var id = $"bug-fails-run-{kind}";
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        await using var worker = new RunningWorker(env.Store, new WorkerOptions
        {
            TaskQueue = "strict",
            Clock = env.Clock,
            RunMaintenance = false,
            WorkflowFailureExceptionTypes = [typeof(InvalidOperationException)],
        }, w => w.AddWorkflow<BuggyWorkflow>());

        var handle = await env.Client.StartWorkflowAsync((BuggyWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = id, TaskQueue = "strict" });
        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));

        Assert.Equal(RunStatus.Failed, error.Status);
        Assert.Equal(nameof(InvalidOperationException), error.Failure?.ErrorType);
        Assert.Equal(1, BuggyWorkflow.Executions(id));
        Assert.Empty((await handle.FetchHistoryAsync()).Of(EventType.WorkflowTaskFailed));
    }
}

[Workflow]
internal sealed class RejectingWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(string order) =>
        throw new ApplicationFailureException($"{order} is out of stock", "Rejected", details: new { order });
}

/// <summary>Workflow code with a bug (a plain exception) until the test "deploys the fix" for its workflow id.</summary>
[Workflow]
internal sealed class BuggyWorkflow
{
    private static readonly ConcurrentDictionary<string, int> Runs = new();
    private static readonly ConcurrentDictionary<string, bool> Fixed = new();

    public static int Executions(string workflowId) => Runs.GetValueOrDefault(workflowId);

    public static void Fix(string workflowId) => Fixed[workflowId] = true;

    [WorkflowRun]
    public Task<string> RunAsync()
    {
        var id = Workflow.Info.WorkflowId;
        Runs.AddOrUpdate(id, 1, (_, n) => n + 1);
        if (!Fixed.ContainsKey(id)) throw new InvalidOperationException("bug: the index is off by one");
        return Task.FromResult("fixed");
    }
}
