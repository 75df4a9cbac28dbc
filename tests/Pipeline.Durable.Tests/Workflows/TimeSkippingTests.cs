using System.Diagnostics;
using Pipeline.Durable.Testing;

namespace Pipeline.Durable.Tests.Workflows;

[Workflow]
public sealed class LongSleepWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(int days)
    {
        var start = Workflow.UtcNow;
        await Workflow.DelayAsync(TimeSpan.FromDays(days));
        return $"{(Workflow.UtcNow - start).TotalDays:F0}";
    }
}

public sealed class TimeSkippingTests
{
    [Fact]
    public async Task DelayAsync_NinetyDays_CompletesInMilliseconds()
    {
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync();
        env.NewWorker("q", w => w.AddWorkflow<LongSleepWorkflow>());
        var sw = Stopwatch.StartNew();
        var handle = await env.Client.StartWorkflowAsync((LongSleepWorkflow wf) => wf.RunAsync(90),
            new WorkflowOptions { Id = "sleep-90", TaskQueue = "q" });
        var result = await handle.GetResultAsync();
        Assert.Equal("90", result);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }
}
