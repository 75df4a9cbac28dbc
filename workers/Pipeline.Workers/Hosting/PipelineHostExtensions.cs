using Pipeline.Durable.Worker;

namespace Pipeline.Workers.Hosting;

/// <summary>The services a host can run, one AddPipelineXxx per kind (eShop's wiring style).</summary>
public static class PipelineHostExtensions
{
    /// <summary>Queues whose activities are CPU-bound training or evaluation: one attempt at a time per worker unless
    /// <c>--max-activities</c> says otherwise (two trainings on two cores are each slower than one after the other).</summary>
    public static readonly IReadOnlySet<string> ComputeQueues = new HashSet<string>(StringComparer.Ordinal) { "cpu", "gpu", "eval" };

    /// <summary>One worker per queue with every registered workflow and activity (the recipe's from
    /// <paramref name="services"/>). The first one also runs the store's maintenance (timers, timeouts): it is
    /// store-wide, so once per process is enough.</summary>
    public static PipelineHost AddPipelineWorkers(this PipelineHost host, IReadOnlyList<string> queues, int? maxConcurrentActivities = null,
        IServiceProvider? services = null)
    {
        for (var i = 0; i < queues.Count; i++)
        {
            var options = new WorkerOptions
            {
                TaskQueue = queues[i],
                Identity = $"{Environment.MachineName}:{Environment.ProcessId}:{queues[i]}",
                LoggerFactory = host.LoggerFactory,
                RunMaintenance = i == 0,
                // Training heartbeats carry progress (step, loss, tokens/s, ETA) that `pipeline demo`, `run --follow`
                // and `workflow show` display: a row update every 5 s per running activity is cheap for the store.
                MaxHeartbeatThrottle = TimeSpan.FromSeconds(5),
            };
            if ((maxConcurrentActivities ?? (ComputeQueues.Contains(queues[i]) ? 1 : null)) is { } max) options = options with { MaxConcurrentActivities = max };
            var worker = new Worker(host.Store, options).AddRegistered(services);
            host.AddService($"worker[{queues[i]}]", worker.RunAsync);
        }
        return host;
    }
}
