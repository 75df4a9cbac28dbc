using Pipeline.Durable.Worker;

namespace Pipeline.Workers.Hosting;

/// <summary>The services a host can run, one AddPipelineXxx per kind (eShop's wiring style). The event consumers,
/// the serving API and the UI get their own AddPipelineXxx here when they are written.</summary>
public static class PipelineHostExtensions
{
    /// <summary>One worker per queue with every registered workflow and activity. The first one also runs the
    /// store's maintenance (timers, timeouts): it is store-wide, so once per process is enough.</summary>
    public static PipelineHost AddPipelineWorkers(this PipelineHost host, IReadOnlyList<string> queues, int? maxConcurrentActivities = null)
    {
        for (var i = 0; i < queues.Count; i++)
        {
            var options = new WorkerOptions
            {
                TaskQueue = queues[i],
                Identity = $"{Environment.MachineName}:{Environment.ProcessId}:{queues[i]}",
                LoggerFactory = host.LoggerFactory,
                RunMaintenance = i == 0,
            };
            if (maxConcurrentActivities is { } max) options = options with { MaxConcurrentActivities = max };
            var worker = new Worker(host.Store, options).AddRegistered();
            host.AddService($"worker[{queues[i]}]", worker.RunAsync);
        }
        return host;
    }
}
