using Pipeline.Durable.Storage;
using Pipeline.Durable.Worker;

namespace Pipeline.Workers.Bench;

/// <summary>An in-process worker for the benchmark's workflow, stopped (gracefully) on dispose.</summary>
public sealed class BenchWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private BenchWorker(Worker worker) => _running = worker.RunAsync(_stop.Token);

    public static Task<BenchWorker> StartAsync(IWorkflowStore store, string queue, int pollers, bool eager)
    {
        var worker = new Worker(store, new WorkerOptions
        {
            TaskQueue = queue, MaxConcurrentWorkflowTasks = pollers, MaxConcurrentActivities = pollers * 4, DisableEagerDispatch = !eager,
        }).AddWorkflow<BenchWorkflow>().AddActivities(new BenchActivities());
        return Task.FromResult(new BenchWorker(worker));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }
}
