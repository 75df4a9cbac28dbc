using System.Diagnostics;
using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Durable.History;
using Pipeline.Durable.Storage;

namespace Pipeline.Workers.Bench;

/// <summary>Runs N workflows of M no-op activity steps on a store with in-process workers and measures steps/s and
/// schedule-to-start latency (from history: ActivityTaskScheduled time to the attempt's start).
/// Under load the workers run as configured by default (eager dispatch on: an activity scheduled on the worker's own
/// queue starts in the same commit, so its latency is ~0). The idle phase runs one workflow at a time on a worker
/// with eager dispatch off, so every task is found through its queue: notification plus poll, the latency an
/// activity on another queue or process sees.</summary>
public static class EngineBench
{
    public static async Task<EngineBenchResult> RunAsync(IWorkflowStore store, int workflows, int steps, int pollers,
        Action<string> progress, CancellationToken ct)
    {
        await store.InitializeAsync(ct);
        var client = new WorkflowClient(store);
        var queue = "bench-" + Guid.NewGuid().ToString("N")[..8];
        double seconds;
        List<double> load;
        await using (await BenchWorker.StartAsync(store, queue, pollers, eager: true))
        {
            // Warm up connections, JIT and the schema's pages.
            await RunBatchAsync(client, queue, "warm", Math.Min(pollers * 2, workflows), steps, ct);
            progress($"{store.Description}: {workflows} workflows × {steps} steps under load…");
            var sw = Stopwatch.StartNew();
            var loadIds = await RunBatchAsync(client, queue, "load", workflows, steps, ct);
            seconds = sw.Elapsed.TotalSeconds;
            load = await LatenciesAsync(client, loadIds, ct);
        }
        progress($"{store.Description}: idle-worker latency through the queue (eager dispatch off), one workflow at a time…");
        var idleQueue = queue + "-idle";
        var idleIds = new List<string>();
        await using (await BenchWorker.StartAsync(store, idleQueue, pollers, eager: false))
        {
            for (var i = 0; i < Math.Max(1, Math.Min(20, workflows / 10)); i++)
                idleIds.AddRange(await RunBatchAsync(client, idleQueue, $"idle{i}", 1, steps, ct));
        }
        var idle = await LatenciesAsync(client, idleIds, ct);
        return new EngineBenchResult(store.Description, workflows, steps, seconds, workflows * steps / seconds,
            Percentile(load, 50), Percentile(load, 99), Percentile(idle, 50), Percentile(idle, 99));
    }

    private static async Task<List<string>> RunBatchAsync(WorkflowClient client, string queue, string tag, int count, int steps, CancellationToken ct)
    {
        var handles = new List<WorkflowHandle>();
        for (var i = 0; i < count; i++)
        {
            handles.Add(await client.StartWorkflowAsync((BenchWorkflow w) => w.RunAsync(steps),
                new WorkflowOptions { Id = $"{queue}/{tag}/{i}", TaskQueue = queue }));
        }
        foreach (var h in handles) await h.GetResultJsonAsync(ct: ct);
        return handles.Select(h => h.Id).ToList();
    }

    private static async Task<List<double>> LatenciesAsync(WorkflowClient client, IEnumerable<string> ids, CancellationToken ct)
    {
        var latencies = new List<double>();
        foreach (var id in ids)
        {
            var history = await client.GetWorkflowHandle(id).FetchHistoryAsync(ct);
            var scheduled = history.Where(e => e.EventType == EventType.ActivityTaskScheduled).ToDictionary(e => e.Seq!.Value, e => e.Timestamp);
            foreach (var started in history.Where(e => e.EventType == EventType.ActivityTaskStarted && e.Attempt == 1))
            {
                if (scheduled.TryGetValue(started.Seq!.Value, out var at) && started.Time is { } t)
                    latencies.Add((t - at).TotalMilliseconds);
            }
        }
        return latencies;
    }

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        var rank = p / 100 * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
