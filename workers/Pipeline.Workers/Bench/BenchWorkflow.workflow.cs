using Pipeline.Durable;

namespace Pipeline.Workers.Bench;

/// <summary>The engine benchmark's workflow: M activity steps one after another, each doing no work, so that
/// what is measured is the engine (commits, leases, wake-ups, replay) and nothing else.</summary>
[Workflow]
public sealed class BenchWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(int steps)
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1) };
        var sum = 0;
        for (var i = 0; i < steps; i++)
            sum += await Workflow.ExecuteActivityAsync((BenchActivities a) => a.StepAsync(i), options);
        return sum;
    }
}
