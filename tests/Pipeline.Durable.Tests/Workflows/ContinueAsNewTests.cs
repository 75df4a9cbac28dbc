using Pipeline.Durable.History;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Workflows;

public sealed class ContinueAsNewTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ContinueAsNew_CounterEveryThreeIterations_ChainOfShortRunsReachesTotal(string kind)
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("counter", w => w.AddWorkflow<CounterWorkflow>());

        var handle = await env.Client.StartWorkflowAsync((CounterWorkflow wf) => wf.RunAsync(new CounterInput(Total: 10, PerRun: 3, Count: 0)),
            new WorkflowOptions { Id = "counter", TaskQueue = "counter" });

        Assert.Equal(10, await handle.GetResultAsync().WaitAsync(Eventually.Patience));
        var runs = await RunChainAsync(env.Store, handle.RunId!);
        Assert.Equal([RunStatus.ContinuedAsNew, RunStatus.ContinuedAsNew, RunStatus.ContinuedAsNew, RunStatus.Completed],
            runs.Select(r => r.Status));
        Assert.Equal([null, runs[0].RunId, runs[1].RunId, runs[2].RunId], runs.Select(r => r.ContinuedFromRunId));
        foreach (var run in runs)
        {
            var history = await env.Store.GetHistoryAsync(run.RunId);
            Assert.Equal(EventType.WorkflowExecutionStarted, history[0].EventType);
            Assert.True(history.Of(EventType.TimerFired).Count <= 3, $"run {run.RunId} has {history.Count} events");
            Assert.Equal(run == runs[^1] ? EventType.WorkflowExecutionCompleted : EventType.WorkflowExecutionContinuedAsNew,
                history[^1].EventType);
        }
    }

    /// <summary>The runs of a workflow id from <paramref name="firstRunId"/> on, following continued-as-new links.</summary>
    private static async Task<List<RunInfo>> RunChainAsync(IWorkflowStore store, string firstRunId)
    {
        var runs = new List<RunInfo>();
        for (string? runId = firstRunId; runId is not null; runId = runs[^1].ContinuedToRunId)
            runs.Add(await store.GetRunAsync("counter", runId) ?? throw new InvalidOperationException($"run {runId} missing"));
        return runs;
    }
}

internal sealed record CounterInput(int Total, int PerRun, int Count);

/// <summary>Counts to Total one tick a minute, continuing as new every PerRun ticks so no run's history grows long.</summary>
[Workflow]
internal sealed class CounterWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(CounterInput input)
    {
        var count = input.Count;
        for (var i = 0; i < input.PerRun && count < input.Total; i++)
        {
            await Workflow.DelayAsync(TimeSpan.FromMinutes(1));
            count++;
        }
        if (count == input.Total) return count;
        var next = input with { Count = count };
        throw Workflow.CreateContinueAsNewException((CounterWorkflow wf) => wf.RunAsync(next));
    }
}
