using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Durable.Client;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Worker;

namespace Pipeline.Durable.Testing;

/// <summary>Temporal-style time skipping for workflow tests: a real store (a SQLite file) and real workers on a
/// fake clock. While a test awaits a workflow result and no work is runnable or running, the clock jumps to the
/// next timer, retry or deadline, so a workflow that sleeps 90 days completes in milliseconds. Time does not move
/// while an activity runs.</summary>
public sealed class WorkflowEnvironment : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly Task _skipper;
    private readonly Maintenance _maintenance;
    private readonly string? _ownedDirectory;
    private int _autoSkipping;

    private WorkflowEnvironment(IWorkflowStore store, TestClock clock, IReadOnlyList<Type> workflows, ILoggerFactory loggers, string? ownedDirectory)
    {
        Store = store;
        Clock = clock;
        LoggerFactory = loggers;
        _ownedDirectory = ownedDirectory;
        Client = new WorkflowClient(store, new WorkflowClientOptions
        {
            Clock = clock, Identity = "test-client", Workflows = workflows, AutoTimeSkipping = BeginAutoSkipping,
        });
        _maintenance = new Maintenance(store, clock, loggers.CreateLogger("Pipeline.Durable.Testing"));
        _skipper = Task.Run(() => SkipLoopAsync(_stop.Token));
    }

    public IWorkflowStore Store { get; }
    public TestClock Clock { get; }
    public WorkflowClient Client { get; }
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Starts an environment on a fresh SQLite file in a temp folder (or on <paramref name="store"/>).</summary>
    public static async Task<WorkflowEnvironment> StartTimeSkippingAsync(IReadOnlyList<Type>? workflows = null,
        IWorkflowStore? store = null, DateTimeOffset? startTime = null, ILoggerFactory? loggerFactory = null)
    {
        string? dir = null;
        if (store is null)
        {
            dir = Path.Combine(Path.GetTempPath(), "durable-env-" + Guid.NewGuid().ToString("N"));
            store = new SqliteWorkflowStore(Path.Combine(dir, "store.db"));
        }
        await store.InitializeAsync();
        var clock = new TestClock(startTime ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return new WorkflowEnvironment(store, clock, workflows ?? [], loggerFactory ?? NullLoggerFactory.Instance, dir);
    }

    /// <summary>A worker on this environment's store and clock; it runs until the environment is disposed.</summary>
    public Worker.Worker NewWorker(string taskQueue, Action<Worker.Worker> register, int maxConcurrentActivities = 8)
    {
        var worker = new Worker.Worker(Store, new WorkerOptions
        {
            TaskQueue = taskQueue, Clock = Clock, RunMaintenance = false, Identity = $"test-worker:{taskQueue}",
            MaxConcurrentActivities = maxConcurrentActivities, LoggerFactory = LoggerFactory, GracefulShutdownTimeout = TimeSpan.FromSeconds(2),
        });
        register(worker);
        _workers.Add(Task.Run(() => worker.RunAsync(_stop.Token)));
        return worker;
    }

    /// <summary>Skips the clock forward by <paramref name="by"/>, firing whatever falls due on the way, in order.</summary>
    public async Task DelayAsync(TimeSpan by)
    {
        var target = Clock.UtcNow + by;
        while (true)
        {
            await WaitIdleAsync();
            var next = await Store.GetNextDeadlineAsync(Clock.UtcNow);
            if (next is not { } n || n > target) break;
            await SkipToAsync(n, CancellationToken.None);
        }
        await SkipToAsync(target, CancellationToken.None);
    }

    /// <summary>Moves the clock, fires what fell due, and wakes the pollers: a retry or a backed-off workflow task
    /// that the jump made due was written before it was due, so no write announces it.</summary>
    private async Task SkipToAsync(DateTimeOffset to, CancellationToken ct)
    {
        Clock.AdvanceTo(to);
        await _maintenance.RunOnceAsync(ct);
        Store.WakeAllPollers();
    }

    private IDisposable BeginAutoSkipping()
    {
        Interlocked.Increment(ref _autoSkipping);
        return new Releaser(() => Interlocked.Decrement(ref _autoSkipping));
    }

    private async Task WaitIdleAsync()
    {
        while (await Store.HasBusyWorkAsync(Clock.UtcNow)) await Task.Delay(2);
    }

    private async Task SkipLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(3, ct);
                var now = Clock.UtcNow;
                if (Volatile.Read(ref _autoSkipping) == 0 || await Store.HasBusyWorkAsync(now, ct)) continue;
                if (await Store.GetNextDeadlineAsync(now, ct) is { } next) await SkipToAsync(next, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _skipper; } catch (OperationCanceledException) { }
        await Task.WhenAll(_workers);
        await Store.DisposeAsync();
        if (_ownedDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_ownedDirectory, recursive: true); } catch (IOException) { }
        }
    }

    private sealed class Releaser(Action release) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) release();
        }
    }
}
