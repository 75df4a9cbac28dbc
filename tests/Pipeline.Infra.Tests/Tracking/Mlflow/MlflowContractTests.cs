using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Tests.Tracking.Mlflow;

/// <summary>
/// Contract tests: <see cref="MlflowTrackingStore"/> against <see cref="FakeMlflowServer"/>, which checks each request
/// against MLflow's documented REST contract and answers as MLflow does. No real MLflow server runs here.
/// </summary>
public sealed partial class MlflowContractTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
    private readonly FakeMlflowServer _server = new();
    private readonly HttpClient _http = new();

    private MlflowTrackingStore Store(Func<MlflowOptions, MlflowOptions>? configure = null) =>
        new(_http, (configure ?? (o => o))(new MlflowOptions { TrackingUri = _server.Uri, InitialBackoff = TimeSpan.FromMilliseconds(1) }));

    [Fact]
    public async Task CreateExperiment_NameTaken_FetchesExistingByName_Contract()
    {
        var store = Store();
        var first = await store.CreateExperimentAsync("sft");
        var second = await store.CreateExperimentAsync("sft");
        Assert.Equal(first, second);
        Assert.Equal(
            ["POST experiments/create", "POST experiments/create", "GET experiments/get-by-name"],
            _server.Requests.Select(r => $"{r.Method} {r.Endpoint}"));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task GetExperimentByName_Unknown_ReturnsNull_Contract()
    {
        Assert.Null(await Store().GetExperimentByNameAsync("nope"));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task RunLifecycle_CreateTagMetricFinish_ReadsBackWhatWasSent_Contract()
    {
        var store = Store();
        var exp = await store.CreateExperimentAsync("e");
        var run = await store.CreateRunAsync(exp.Id, "sft-1", T0, new Dictionary<string, string> { ["stage"] = "sft" });
        await store.SetTagAsync(run.Id, "gate", "passed");
        await store.LogMetricAsync(run.Id, new MetricPoint("loss", 0.5, 3, T0.AddSeconds(1)));
        await store.UpdateRunAsync(run.Id, RunStatus.Finished, T0.AddMinutes(1));

        var read = await store.GetRunAsync(run.Id);
        Assert.Equal((exp.Id, "sft-1", RunStatus.Finished, T0, (DateTimeOffset?)T0.AddMinutes(1)),
            (read.ExperimentId, read.Name, read.Status, read.StartTime, read.EndTime));
        Assert.Equal(("sft", "passed"), (read.Tags["stage"], read.Tags["gate"]));
        Assert.Equal([new MetricPoint("loss", 0.5, 3, T0.AddSeconds(1))], await store.GetMetricHistoryAsync(run.Id, "loss"));

        var create = Assert.Single(_server.RequestsTo("POST", "runs/create")).Body!;
        Assert.Equal(T0.ToUnixTimeMilliseconds(), create["start_time"]!.GetValue<long>());
        Assert.Equal("""[{"key":"stage","value":"sft"}]""", create["tags"]!.ToJsonString());
        var update = Assert.Single(_server.RequestsTo("POST", "runs/update")).Body!;
        Assert.Equal("FINISHED", update["status"]!.GetValue<string>());
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task LogBatch_1500Metrics_SplitsIntoTwoRequestsWithinMlflowLimits_Contract()
    {
        var store = Store();
        var run = await store.CreateRunAsync((await store.CreateExperimentAsync("e")).Id, "r", T0);
        var metrics = Enumerable.Range(0, 1500).Select(i => new MetricPoint("loss", 1.0 / (i + 1), i, T0.AddSeconds(i))).ToList();

        await store.LogBatchAsync(run.Id, metrics);

        var batches = _server.RequestsTo("POST", "runs/log-batch");
        Assert.Equal([1000, 500], batches.Select(b => b.Body!["metrics"]!.AsArray().Count));
        // Read back through two history pages (the fake pages at 1000, as a server may).
        Assert.Equal(metrics, await store.GetMetricHistoryAsync(run.Id, "loss"));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task LogBatch_ParamsTagsAndMetricsOverLimits_EveryRequestWithinLimits_Contract()
    {
        var store = Store();
        var run = await store.CreateRunAsync((await store.CreateExperimentAsync("e")).Id, "r", T0);
        var parameters = Enumerable.Range(0, 250).ToDictionary(i => $"p{i}", i => $"{i}");
        var tags = Enumerable.Range(0, 150).ToDictionary(i => $"t{i}", i => $"{i}");
        var metrics = Enumerable.Range(0, 900).Select(i => new MetricPoint("loss", i, i, T0)).ToList();

        await store.LogBatchAsync(run.Id, metrics, parameters, tags);

        foreach (var body in _server.RequestsTo("POST", "runs/log-batch").Select(r => r.Body!))
        {
            var (m, p, t) = (body["metrics"]!.AsArray().Count, body["params"]!.AsArray().Count, body["tags"]!.AsArray().Count);
            Assert.True(m <= 1000 && p <= 100 && t <= 100 && m + p + t <= 1000, $"over MLflow's limits: {m} metrics, {p} params, {t} tags");
        }

        var read = await store.GetRunAsync(run.Id);
        Assert.Equal((250, 150), (read.Params.Count, read.Tags.Count));
        Assert.Equal(900, (await store.GetMetricHistoryAsync(run.Id, "loss")).Count);
        Assert.Empty(_server.Violations);
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }
}
