using System.Collections.Concurrent;
using Pipeline.Durable.Client;
using Pipeline.Durable.History;
using Pipeline.Durable.Tests.Support;
using Pipeline.Durable.Worker;

namespace Pipeline.Durable.Tests.Worker;

/// <summary>Two workers on one store and one queue, in one process, on the real clock, taking turns on one run: each
/// worker's cached instance goes stale and is carried on over the other's steps.</summary>
public sealed class TwoWorkerTests
{
    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("sqlite", true)]
    [InlineData("postgres", false)]
    [InlineData("postgres", true)]
    public async Task TwoWorkersOnOneQueue_TakingTurnsOnOneRun_ResultRightHistoryValidEachActivityOnce(string kind, bool disableEager)
    {
        // The turns are forced, not left to chance: each worker has one activity slot, and each round's two parallel
        // activities wait for each other, so they must run on different workers. With eager dispatch each worker's
        // report then decides the run's next task itself.
        var echoes = new ErrandActivities();
        var meetings = new RendezvousActivities();
        var logs = new LogCollector();
        await using var store = await TestStores.CreateAsync(kind);
        WorkerOptions Options(string identity) => new()
        {
            TaskQueue = "relay",
            Identity = identity,
            MaxConcurrentActivities = 1,
            DisableEagerDispatch = disableEager,
            LoggerFactory = logs,
        };
        await using var first = new RunningWorker(store, Options("worker-1"),
            w => w.AddWorkflow<RelayWorkflow>().AddActivities(echoes).AddActivities(meetings));
        await using var second = new RunningWorker(store, Options("worker-2"),
            w => w.AddWorkflow<RelayWorkflow>().AddActivities(echoes).AddActivities(meetings));
        var handle = await new WorkflowClient(store).StartWorkflowAsync((RelayWorkflow wf) => wf.RunAsync("relay"),
            new WorkflowOptions { Id = "relay", TaskQueue = "relay" });

        Assert.Equal(RelayWorkflow.Expected("relay"), await handle.GetResultAsync().WaitAsync(Eventually.Patience));

        var history = await handle.FetchHistoryAsync();
        HistoryAssert.Valid(history, typeof(RelayWorkflow));
        Assert.Equal(RelayWorkflow.Steps, history.Of(EventType.ActivityTaskCompleted).Count);
        Assert.Equal(RelayWorkflow.Rounds, echoes.Calls.Count);
        Assert.Equal(2 * RelayWorkflow.Rounds, meetings.Calls.Count);
        Assert.All(echoes.Calls.Concat(meetings.Calls), call => Assert.Equal(1, call.Value));
        Assert.Equal(["worker-1", "worker-2"], history.Of(EventType.ActivityTaskStarted).Select(e => e.Identity).Distinct().Order());
        if (!disableEager)
            Assert.Equal(["worker-1", "worker-2"], history.Of(EventType.WorkflowTaskCompleted).Select(e => e.Identity).Distinct().Order());
        Assert.Empty(logs.Problems);
    }
}

/// <summary>Rounds of two activities that must meet (so run on two workers), then one that joins their results.</summary>
[Workflow]
internal sealed class RelayWorkflow
{
    public const int Rounds = 4;
    public const int Steps = 3 * Rounds;

    [WorkflowRun]
    public async Task<string> RunAsync(string name)
    {
        var legs = new List<string>();
        for (var round = 1; round <= Rounds; round++)
        {
            var place = $"{name}:{round}";
            var pair = await Task.WhenAll(
                Workflow.ExecuteActivityAsync((RendezvousActivities a) => a.MeetAsync(place, "a"), ErrandActivities.Options),
                Workflow.ExecuteActivityAsync((RendezvousActivities a) => a.MeetAsync(place, "b"), ErrandActivities.Options));
            legs.Add(await Workflow.ExecuteActivityAsync((ErrandActivities a) => a.EchoAsync($"{pair[0]}+{pair[1]}"), ErrandActivities.Options));
        }
        return string.Join(" | ", legs);
    }

    public static string Expected(string name) =>
        string.Join(" | ", Enumerable.Range(1, Rounds).Select(r => $"echo {name}:{r}:a+{name}:{r}:b"));
}

/// <summary>Each call waits at its place until a second call arrives there (bounded, so a test fails instead of hanging).</summary>
internal sealed class RendezvousActivities
{
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, int> _arrived = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _met = new();

    public IReadOnlyDictionary<string, int> Calls => _calls;

    [Activity]
    public async Task<string> MeetAsync(string place, string side)
    {
        _calls.AddOrUpdate($"{place}:{side}", 1, (_, n) => n + 1);
        var met = _met.GetOrAdd(place, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_arrived.AddOrUpdate(place, 1, (_, n) => n + 1) == 2) met.TrySetResult();
        await met.Task.WaitAsync(Eventually.Patience, ActivityExecutionContext.Current.CancellationToken);
        return $"{place}:{side}";
    }
}
