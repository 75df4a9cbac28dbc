using Pipeline.Durable.Client;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Client;

public sealed class IdPolicyTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task StartWorkflow_IdOpenWithDefaultPolicy_ReturnsExistingRun(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));

        var first = await StartAsync(env, new WorkflowOptions { Id = "same" });
        var second = await StartAsync(env, new WorkflowOptions { Id = "same" });

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Single(await env.Client.ListWorkflowsAsync(new RunQuery { IdContains = "same" }));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task StartWorkflow_IdOpenWithFailPolicy_ThrowsWorkflowAlreadyStarted(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        var first = await StartAsync(env, new WorkflowOptions { Id = "same" });

        var error = await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(
            () => StartAsync(env, new WorkflowOptions { Id = "same", IdConflictPolicy = IdConflictPolicy.Fail }));

        Assert.Equal(first.RunId, error.ExistingRunId);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task StartWorkflow_IdOpenWithTerminateExisting_TerminatesOldRunAndStartsNew(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        var first = await StartAsync(env, new WorkflowOptions { Id = "same" });

        var second = await StartAsync(env, new WorkflowOptions { Id = "same", IdConflictPolicy = IdConflictPolicy.TerminateExisting });

        Assert.True(second.Created);
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal(RunStatus.Terminated, (await env.Client.GetWorkflowHandle("same", first.RunId).DescribeRunAsync()).Status);
        Assert.Equal(RunStatus.Running, (await second.DescribeRunAsync()).Status);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task GetWorkflowHandle_NoRunIdAfterRestartInSameMillisecond_FindsTheOpenRun(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        // The fake clock stands still, so every run here starts in the same millisecond.
        for (var i = 0; i < 10; i++)
        {
            var started = await StartAsync(env, new WorkflowOptions { Id = "restarted", IdConflictPolicy = IdConflictPolicy.TerminateExisting });

            Assert.Equal(started.RunId, (await env.Client.GetWorkflowHandle("restarted").DescribeRunAsync()).RunId);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task StartWorkflow_IdClosedWithRejectDuplicate_Throws(string kind)
    {
        await using var env = await StartWithWorkerAsync(kind);
        var first = await CompleteRunAsync(env, "once");

        var error = await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(
            () => StartAsync(env, new WorkflowOptions { Id = "once", TaskQueue = "ids", IdReusePolicy = IdReusePolicy.RejectDuplicate }));

        Assert.Equal(first.RunId, error.ExistingRunId);
        Assert.Contains("RejectDuplicate", error.Message);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task StartWorkflow_IdCompletedWithAllowDuplicateFailedOnly_Throws(string kind)
    {
        await using var env = await StartWithWorkerAsync(kind);
        await CompleteRunAsync(env, "retry-failures");

        var error = await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() => StartAsync(env,
            new WorkflowOptions { Id = "retry-failures", TaskQueue = "ids", IdReusePolicy = IdReusePolicy.AllowDuplicateFailedOnly }));

        Assert.Contains("ended completed", error.Message);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task StartWorkflow_IdClosedWithAllowDuplicate_StartsNewRun(string kind)
    {
        await using var env = await StartWithWorkerAsync(kind);
        var first = await CompleteRunAsync(env, "again");

        var second = await StartAsync(env, new WorkflowOptions { Id = "again", TaskQueue = "ids", IdReusePolicy = IdReusePolicy.AllowDuplicate });

        Assert.True(second.Created);
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal(2, (await env.Client.ListWorkflowsAsync(new RunQuery { IdContains = "again" })).Count);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ListWorkflows_WorkflowIdFilter_ListsEveryRunOfExactlyThatId(string kind)
    {
        await using var env = await StartWithWorkerAsync(kind);
        var first = await CompleteRunAsync(env, "exact");
        var second = await StartAsync(env, new WorkflowOptions { Id = "exact", TaskQueue = "ids", IdReusePolicy = IdReusePolicy.AllowDuplicate });
        await CompleteRunAsync(env, "exact-not");   // contains the id, is not it

        var runs = await env.Client.ListWorkflowsAsync(new RunQuery { WorkflowId = "exact" });

        // Both started at the same fake-clock instant: which one lists first is not the point here.
        Assert.Equivalent(new[] { first.RunId, second.RunId }, runs.Select(r => r.RunId).ToList(), strict: true);
        Assert.Equal(3, (await env.Client.ListWorkflowsAsync(new RunQuery { IdContains = "exact" })).Count);
    }

    private static Task<WorkflowHandle<string>> StartAsync(WorkflowEnvironment env, WorkflowOptions options) =>
        env.Client.StartWorkflowAsync((EchoWorkflow wf) => wf.RunAsync("hi"), options);

    private static async Task<WorkflowEnvironment> StartWithWorkerAsync(string kind)
    {
        var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("ids", w => w.AddWorkflow<EchoWorkflow>());
        return env;
    }

    private static async Task<WorkflowHandle<string>> CompleteRunAsync(WorkflowEnvironment env, string id)
    {
        var handle = await StartAsync(env, new WorkflowOptions { Id = id, TaskQueue = "ids" });
        Assert.Equal("hi", await handle.GetResultAsync().WaitAsync(Eventually.Patience));
        return handle;
    }
}

[Workflow]
internal sealed class EchoWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(string text) => Task.FromResult(text);
}
