using Pipeline.Durable.History;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Workflows;

public sealed class ChildWorkflowTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ExecuteChildWorkflow_ChildCompletes_ParentGetsItsResult(string kind)
    {
        await using var env = await StartAsync(kind);

        var handle = await env.Client.StartWorkflowAsync((ParentWorkflow wf) => wf.RunAsync("ada"),
            new WorkflowOptions { Id = "parent", TaskQueue = "family" });

        Assert.Equal("child says: hello ada", await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));
        var child = await env.Client.GetWorkflowHandle("parent/child-1").DescribeRunAsync();
        Assert.Equal((RunStatus.Completed, "parent"), (child.Status, child.ParentWorkflowId));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ExecuteChildWorkflow_ChildFails_ParentCatchesChildWorkflowFailure(string kind)
    {
        await using var env = await StartAsync(kind);

        var handle = await env.Client.StartWorkflowAsync((ParentWorkflow wf) => wf.RunAsync("bad name"),
            new WorkflowOptions { Id = "parent-of-failure", TaskQueue = "family" });

        Assert.Equal("caught: GreetingChild parent-of-failure/child-1 <- NameRejected: 'bad name' is not a name",
            await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));
        Assert.Equal(RunStatus.Failed, (await env.Client.GetWorkflowHandle("parent-of-failure/child-1").DescribeRunAsync()).Status);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ParentClosePolicyTerminate_ParentCompletesFirst_RunningChildTerminated(string kind)
    {
        await using var env = await StartAsync(kind);

        var handle = await env.Client.StartWorkflowAsync((ImpatientParentWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "impatient", TaskQueue = "family" });

        Assert.Equal("parent done", await handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));
        var child = env.Client.GetWorkflowHandle("impatient/sleeper");
        Assert.Equal(RunStatus.Terminated, (await child.DescribeRunAsync()).Status);
        var closing = (await child.FetchHistoryAsync())[^1];
        Assert.Equal(EventType.WorkflowExecutionTerminated, closing.EventType);
        Assert.Contains("parent impatient", closing.Reason);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CancelAsync_ParentAwaitingChild_ChildCancelledAndParentEndsCancelled(string kind)
    {
        await using var env = await StartAsync(kind);
        var handle = await env.Client.StartWorkflowAsync((PatientParentWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "patient", TaskQueue = "family" });
        var child = env.Client.GetWorkflowHandle("patient/child-1");
        await Eventually.TrueAsync(async () => await env.Store.GetRunAsync("patient/child-1") is not null && await child.HasEventAsync(EventType.TimerStarted),
            "the child to start sleeping");

        await handle.CancelAsync();
        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<string>().WaitAsync(Eventually.Patience));

        Assert.Equal(RunStatus.Cancelled, error.Status);
        Assert.Equal(RunStatus.Cancelled, (await child.DescribeRunAsync()).Status);
        Assert.Single((await handle.FetchHistoryAsync()).Of(EventType.ChildWorkflowExecutionCanceled));
    }

    private static async Task<WorkflowEnvironment> StartAsync(string kind)
    {
        var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("family", w => w.AddWorkflow<ParentWorkflow>().AddWorkflow<GreetingChildWorkflow>()
            .AddWorkflow<ImpatientParentWorkflow>().AddWorkflow<PatientParentWorkflow>().AddWorkflow<SleepingChildWorkflow>());
        return env;
    }
}

[Workflow]
internal sealed class ParentWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string name)
    {
        try
        {
            return "child says: " + await Workflow.ExecuteChildWorkflowAsync((GreetingChildWorkflow c) => c.RunAsync(name));
        }
        catch (ChildWorkflowFailureException e) when (e.InnerException is ApplicationFailureException cause)
        {
            return $"caught: {e.WorkflowType} {e.WorkflowId} <- {cause.ErrorType}: {cause.Message}";
        }
    }
}

[Workflow("GreetingChild")]
internal sealed class GreetingChildWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string name)
    {
        await Workflow.DelayAsync(TimeSpan.FromMinutes(5));
        if (name.Contains(' ')) throw new ApplicationFailureException($"'{name}' is not a name", "NameRejected");
        return $"hello {name}";
    }
}

/// <summary>Starts a child that would sleep for a month and completes after a minute without waiting for it.</summary>
[Workflow]
internal sealed class ImpatientParentWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        _ = Workflow.ExecuteChildWorkflowAsync((SleepingChildWorkflow c) => c.RunAsync(),
            new ChildWorkflowOptions { Id = $"{Workflow.Info.WorkflowId}/sleeper", ParentClosePolicy = ParentClosePolicy.Terminate });
        await Workflow.DelayAsync(TimeSpan.FromMinutes(1));
        return "parent done";
    }
}

/// <summary>Waits for its month-long child; the child gets the parent's cancellation (the default token).</summary>
[Workflow]
internal sealed class PatientParentWorkflow
{
    [WorkflowRun]
    public Task RunAsync() => Workflow.ExecuteChildWorkflowAsync((SleepingChildWorkflow c) => c.RunAsync());
}

[Workflow]
internal sealed class SleepingChildWorkflow
{
    [WorkflowRun]
    public Task RunAsync() => Workflow.DelayAsync(TimeSpan.FromDays(30));
}
