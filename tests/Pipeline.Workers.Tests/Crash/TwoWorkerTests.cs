using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Durable.History;
using Pipeline.Durable.Samples;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Tests.Support;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Crash;

/// <summary>Two worker processes on one PostgreSQL share the queue: both get work, and no activity attempt runs
/// twice (each step's side effect, a line in its workflow's log, appears exactly once).</summary>
public sealed class TwoWorkerTests
{
    [Fact]
    public async Task TwoWorkerProcesses_OnePostgres_NeverRunTheSameAttemptTwice()
    {
        var dir = Path.Combine(Path.GetTempPath(), "two-workers-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var cs = await PostgresServer.CreateDatabaseAsync("two");
        await using var store = new PostgresWorkflowStore(cs);
        await store.InitializeAsync();
        var client = new WorkflowClient(store);
        await using var a = PipelineProcess.Start(Path.Combine(dir, "a.log"), "worker", "--queue", "shared", "--store", cs);
        await using var b = PipelineProcess.Start(Path.Combine(dir, "b.log"), "worker", "--queue", "shared", "--store", cs);

        const int workflows = 12, steps = 4;
        var handles = new List<WorkflowHandle>();
        for (var i = 0; i < workflows; i++)
        {
            var log = Path.Combine(dir, $"wf{i}.log");
            handles.Add(await client.StartWorkflowAsync((SleepyStepsWorkflow w) => w.RunAsync(new SleepyStepsInput(steps, 0.05, log, 0, 2)),
                new WorkflowOptions { Id = $"two-{i}", TaskQueue = "shared" }));
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        foreach (var h in handles) await h.GetResultJsonAsync(ct: timeout.Token);

        var identities = new HashSet<string>();
        for (var i = 0; i < workflows; i++)
        {
            Assert.Equal(Enumerable.Range(1, steps).Select(s => $"step {s}"), File.ReadAllLines(Path.Combine(dir, $"wf{i}.log")));
            var history = await handles[i].FetchHistoryAsync();
            foreach (var e in history.Where(e => e.EventType is EventType.ActivityTaskStarted or EventType.WorkflowTaskCompleted))
                identities.Add(e.Identity!);
            Assert.All(history.Where(e => e.EventType == EventType.ActivityTaskStarted), e => Assert.Equal(1, e.Attempt));
        }
        Assert.True(identities.Select(id => id.Split(':')[1]).Distinct().Count() >= 2,
            $"both worker processes did work; identities seen: {string.Join(", ", identities)}\n{a.Output()}\n{b.Output()}");
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
