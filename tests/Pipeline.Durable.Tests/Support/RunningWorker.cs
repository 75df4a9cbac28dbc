using Pipeline.Durable.Storage;
using Pipeline.Durable.Worker;
using DurableWorker = Pipeline.Durable.Worker.Worker;

namespace Pipeline.Durable.Tests.Support;

/// <summary>A worker that runs until disposed: for tests that stop one worker and start another (a code change
/// between versions) or that need options the time-skipping environment's workers do not take.</summary>
public sealed class RunningWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public RunningWorker(IWorkflowStore store, WorkerOptions options, Action<DurableWorker> register)
    {
        Worker = new DurableWorker(store, options);
        register(Worker);
        _run = Task.Run(() => Worker.RunAsync(_stop.Token));
    }

    public DurableWorker Worker { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }
}
