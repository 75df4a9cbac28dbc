using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Durable.Runtime;
using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Worker;

/// <summary>Polls one task queue and runs the workflow tasks and activity attempts it finds, for the workflows
/// and activities registered on it. Many workers (threads, processes, machines) may share a queue and a store.</summary>
public sealed class Worker
{
    private readonly IWorkflowStore _store;
    private readonly WorkerOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, WorkflowDefinition> _workflows = new();
    private readonly Dictionary<string, ActivityDefinition> _activities = new();
    private int _inFlightActivities;

    public Worker(IWorkflowStore store, WorkerOptions options)
    {
        options.Validate();
        _store = store;
        _options = options with { Identity = options.Identity ?? $"{Environment.MachineName}:{Environment.ProcessId}" };
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Pipeline.Durable.Worker");
    }

    public WorkerOptions Options => _options;

    public int InFlightActivities => Volatile.Read(ref _inFlightActivities);

    public Worker AddWorkflow<T>() => AddWorkflow(typeof(T));

    public Worker AddWorkflow(Type type)
    {
        var def = WorkflowDefinition.For(type);
        _workflows[def.Name] = def;
        return this;
    }

    /// <summary>Registers the [Activity] methods of an object; the same object serves every call.</summary>
    public Worker AddActivities<T>(T instance) where T : class => AddActivityDefinitions(typeof(T), _ => instance);

    /// <summary>Registers the [Activity] methods of <typeparamref name="T"/>, made per call by the factory.</summary>
    public Worker AddActivities<T>(Func<T> factory) where T : class => AddActivityDefinitions(typeof(T), _ => factory());

    /// <summary>Registers the [Activity] methods of <typeparamref name="T"/>, made per call from WorkerOptions.Services
    /// (constructor injection).</summary>
    public Worker AddActivities<T>() where T : class =>
        AddActivityDefinitions(typeof(T), sp => sp is null
            ? throw new InvalidOperationException($"{typeof(T).Name} is registered by type: set WorkerOptions.Services.")
            : ActivatorUtilities.CreateInstance<T>(sp));

    /// <summary>Registers static [Activity] methods of a type.</summary>
    public Worker AddStaticActivities(Type type) => AddActivityDefinitions(type, _ => null);

    private Worker AddActivityDefinitions(Type type, Func<IServiceProvider?, object?> target)
    {
        foreach (var def in ActivityDefinition.From(type, target)) _activities[def.Name] = def;
        return this;
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled, then lets running activities finish (up to the
    /// graceful shutdown timeout) before cancelling them.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var hardStop = new CancellationTokenSource();
        var activityRuns = new List<Task>();
        var activityTypes = _activities.Count > 0 ? _activities.Keys.ToHashSet() : [];
        // Wiring: slots start activities on the activity runner, whose final reports may run workflow tasks eagerly on
        // the workflow runner, which reserves slots for the activities it schedules.
        ActivityRunner activityRunner = null!;
        ActivitySlots slots = null!;
        slots = new ActivitySlots(_options.MaxConcurrentActivities, task => StartActivity(task, activityRunner, slots, activityRuns, hardStop.Token));
        var workflowRunner = new WorkflowTaskRunner(_store, _options, _workflows, slots, activityTypes, _logger);
        activityRunner = new ActivityRunner(_store, _options, _logger,
            _workflows.Count > 0 && !_options.DisableEagerDispatch ? new EagerWorkflowTasks(_options, workflowRunner, ct) : null);

        var loops = new List<Task>();
        if (_workflows.Count > 0)
        {
            for (var i = 0; i < _options.MaxConcurrentWorkflowTasks; i++) loops.Add(Task.Run(() => WorkflowLoopAsync(workflowRunner, ct)));
        }
        if (_activities.Count > 0) loops.Add(Task.Run(() => ActivityLoopAsync(slots, ct)));
        if (_options.RunMaintenance)
            loops.Add(Task.Run(() => new Maintenance(_store, _options.Clock, _logger).RunAsync(ct)));
        _logger.LogInformation("Worker {Identity} polling queue {Queue} on {Store}: {Workflows} workflow(s), {Activities} activity type(s)",
            _options.Identity, _options.TaskQueue, _store.Description, _workflows.Count, _activities.Count);
        await Task.WhenAll(loops);
        Task[] running;
        lock (activityRuns) running = [.. activityRuns];
        var graceful = Task.WhenAll(running);
        if (await Task.WhenAny(graceful, Task.Delay(_options.GracefulShutdownTimeout)) != graceful) await hardStop.CancelAsync();
        await graceful;
    }

    private async Task WorkflowLoopAsync(WorkflowTaskRunner runner, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var signal = _store.NextTaskSignal(_options.TaskQueue, TaskKind.Workflow);
                var lease = await _store.PollWorkflowTaskAsync(_options.TaskQueue, _options.Identity!, _options.Clock.UtcNow,
                    runner.KnownHistory, ct);
                if (lease is not null)
                {
                    await runner.RunAsync(lease, ct);
                    continue;
                }
                await Task.WhenAny(signal, Task.Delay(_store.PollFallbackInterval, ct));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Workflow poll on {Queue} failed; retrying in 1 s", _options.TaskQueue);
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ContinueWith(_ => { });
            }
        }
    }

    private async Task ActivityLoopAsync(ActivitySlots slots, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var holding = false;
            try
            {
                await slots.WaitAsync(ct);
                holding = true;
                var signal = _store.NextTaskSignal(_options.TaskQueue, TaskKind.Activity);
                var task = await _store.PollActivityTaskAsync(_options.TaskQueue, _options.Identity!, _options.Clock.UtcNow, ct);
                if (task is null)
                {
                    slots.Release();
                    holding = false;
                    await Task.WhenAny(signal, Task.Delay(_store.PollFallbackInterval, ct));
                    continue;
                }
                holding = false;
                slots.StartReserved(task);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                if (holding) slots.Release();
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Activity poll on {Queue} failed; retrying in 1 s", _options.TaskQueue);
                if (holding) slots.Release();
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ContinueWith(_ => { });
            }
        }
    }

    /// <summary>Runs one attempt on a slot its caller holds (a poll or an eager dispatch) and frees the slot after.</summary>
    private void StartActivity(ActivityTaskLease task, ActivityRunner runner, ActivitySlots slots, List<Task> runs, CancellationToken hardStop)
    {
        Interlocked.Increment(ref _inFlightActivities);
        _activities.TryGetValue(task.ActivityType, out var def);
        var run = Task.Run(async () =>
        {
            try { await runner.RunAsync(task, def, hardStop); }
            catch (Exception e) { _logger.LogError(e, "Reporting activity {Activity} failed", task.ActivityType); }
            finally
            {
                Interlocked.Decrement(ref _inFlightActivities);
                slots.Release();
            }
        }, CancellationToken.None);
        lock (runs)
        {
            runs.RemoveAll(t => t.IsCompleted);
            runs.Add(run);
        }
    }
}
