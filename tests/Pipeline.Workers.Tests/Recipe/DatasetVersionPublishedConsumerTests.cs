using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Durable.Client;
using Pipeline.Durable.Storage;
using Pipeline.Eval.Domain;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Contracts;
using Pipeline.Infra.Datasets;
using Pipeline.Workers.Hosting;
using Pipeline.Workers.Recipe;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workers.Tests.Recipe;

/// <summary>The recipe's trigger on the real (in-memory) MassTransit bus and a real SQLite store, without workers so the
/// run stays where it started: one run per dataset version whatever the bus delivers.</summary>
public sealed class DatasetVersionPublishedConsumerTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trigger-").FullName;
    private SqliteWorkflowStore _store = null!;
    private ServiceProvider _services = null!;
    private readonly ConsumeCounter _consumed = new();

    public async Task InitializeAsync()
    {
        _store = new SqliteWorkflowStore(Path.Combine(_dir, "store.db"));
        await _store.InitializeAsync();
        var artifacts = new LocalArtifactStore(Path.Combine(_dir, "artifacts"));
        var outbox = new SqliteEventOutbox(Path.Combine(_dir, "outbox.db"));
        var data = Path.Combine(_dir, "v1");
        DemoDatasetGenerator.Generate(new DemoDatasetOptions { Version = "v1", CorpusLines = 200 }).WriteTo(data);
        await new DatasetPublisher(artifacts, outbox).PublishAsync(new DatasetPublication(data, DemoDatasetGenerator.DatasetName, "v1"));

        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new WorkflowClient(_store, new WorkflowClientOptions { Workflows = WorkflowRegistry.Workflows }))
            .AddSingleton<IArtifactStore>(artifacts).AddSingleton<IEventOutbox>(outbox).AddSingleton(new RecipeSettings())
            .AddSingleton(new RecipeDefinition(RecipeConfigFile.Defaults, "test")).AddSingleton<RecipeLauncher>();
        services.AddPipelineBus(new BusOptions { Transport = BusTransport.InMemory }, x => x.AddConsumer<DatasetVersionPublishedConsumer>(), dispatch: false);
        _services = services.BuildServiceProvider();
        var bus = _services.GetRequiredService<IBusControl>();
        bus.ConnectConsumeObserver(_consumed);
        await bus.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.GetRequiredService<IBusControl>().StopAsync();
        await _services.DisposeAsync();
        await _store.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Consume_SameVersionPublishedTwiceThenAgainAfterTheRunEnded_StartsExactlyOneRun()
    {
        var bus = _services.GetRequiredService<IBus>();
        var published = new DatasetVersionPublished("arith-demo", "v1", "file://manifest.json", "00", DateTimeOffset.UtcNow);
        const string id = "post-train/arith-demo@v1";

        await bus.Publish(published);
        await bus.Publish(published);   // a duplicate (a redelivery, or the publisher retried)
        await _consumed.WaitAsync(2);
        var runs = await RunsAsync(id);
        Assert.Single(runs);
        Assert.Equal(RunStatus.Running, runs[0].Status);
        Assert.Equal("arith-demo@v1", runs[0].Memo!["dataset"]);

        // After the run ended, the same event (say, replayed from the error queue) starts nothing new either.
        await new WorkflowClient(_store).GetWorkflowHandle(id).TerminateAsync("test: the run ended");
        await bus.Publish(published);
        await _consumed.WaitAsync(3);
        runs = await RunsAsync(id);
        Assert.Single(runs);
        Assert.Equal(RunStatus.Terminated, runs[0].Status);
        Assert.Equal(0, _consumed.Faults);
    }

    [Fact]
    public async Task Consume_VersionNotInTheArtifactStore_FaultsAndStartsNothing()
    {
        var bus = _services.GetRequiredService<IBus>();

        await bus.Publish(new DatasetVersionPublished("arith-demo", "v9", "file://manifest.json", "00", DateTimeOffset.UtcNow));
        await _consumed.WaitForFaultAsync();

        Assert.Empty(await RunsAsync("post-train/arith-demo@v9"));
        Assert.Contains("not published", _consumed.LastFault, StringComparison.Ordinal);
    }

    private async Task<List<RunInfo>> RunsAsync(string id) =>
        (await _store.ListRunsAsync(new RunQuery { WorkflowId = id }, CancellationToken.None)).ToList();

    /// <summary>Counts finished consumes (including each redelivery's fault), so the test waits for the bus, not for time.</summary>
    private sealed class ConsumeCounter : IConsumeObserver
    {
        private readonly object _lock = new();
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
        private int _done;

        public int Faults { get; private set; }

        public string LastFault { get; private set; } = "";

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            Done();
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
        {
            lock (_lock) { Faults++; LastFault = exception.Message; }
            Done();
            return Task.CompletedTask;
        }

        public Task WaitAsync(int count) => Wait(() => _done >= count, $"{count} consumes");

        public Task WaitForFaultAsync() => Wait(() => Faults > 0, "a fault");

        private void Done()
        {
            lock (_lock)
            {
                _done++;
                foreach (var w in _waiters.ToList()) { w.Done.TrySetResult(); _waiters.Remove(w); }
            }
        }

        private async Task Wait(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                TaskCompletionSource next;
                lock (_lock)
                {
                    if (condition()) return;
                    next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waiters.Add((0, next));
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || await Task.WhenAny(next.Task, Task.Delay(left)) != next.Task)
                    throw new TimeoutException($"the bus did not finish {what} within 30 s (done {_done}, faults {Faults})");
            }
        }
    }
}
