using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Tests.Tracking;

/// <summary>The embedded store's behaviour, run once per database (see the two subclasses).</summary>
public abstract partial class SqlTrackingStoreTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    protected abstract Task<SqlTrackingStore> OpenStoreAsync();

    [Fact]
    public async Task CreateExperiment_NewName_IsFoundByName()
    {
        var store = await OpenStoreAsync();
        var created = await store.CreateExperimentAsync("sft");
        Assert.Equal(created, await store.GetExperimentByNameAsync("sft"));
    }

    [Fact]
    public async Task CreateExperiment_ExistingName_ReturnsSameExperiment()
    {
        var store = await OpenStoreAsync();
        var first = await store.CreateExperimentAsync("dpo");
        Assert.Equal(first, await store.CreateExperimentAsync("dpo"));
    }

    [Fact]
    public async Task GetExperimentByName_Unknown_ReturnsNull()
    {
        var store = await OpenStoreAsync();
        Assert.Null(await store.GetExperimentByNameAsync("nope"));
    }

    [Fact]
    public async Task CreateRun_WithTags_StartsRunningWithTags()
    {
        var store = await OpenStoreAsync();
        var exp = await store.CreateExperimentAsync("e");
        var run = await store.CreateRunAsync(exp.Id, "sft-1", T0, new Dictionary<string, string> { ["stage"] = "sft" });
        Assert.Equal((exp.Id, "sft-1", RunStatus.Running, T0, (DateTimeOffset?)null), (run.ExperimentId, run.Name, run.Status, run.StartTime, run.EndTime));
        Assert.Equal("sft", run.Tags["stage"]);
        var read = await store.GetRunAsync(run.Id);
        Assert.Equal(run.Tags, read.Tags);
        Assert.Equal(run with { Params = read.Params, Tags = read.Tags, Metrics = read.Metrics }, read);
    }

    [Fact]
    public async Task CreateRun_UnknownExperiment_ThrowsResourceDoesNotExist()
    {
        var store = await OpenStoreAsync();
        var e = await Assert.ThrowsAsync<TrackingException>(() => store.CreateRunAsync("missing", "r", T0));
        Assert.Equal(TrackingException.ResourceDoesNotExist, e.ErrorCode);
    }

    [Fact]
    public async Task GetRun_Unknown_ThrowsResourceDoesNotExist()
    {
        var store = await OpenStoreAsync();
        var e = await Assert.ThrowsAsync<TrackingException>(() => store.GetRunAsync("missing"));
        Assert.Equal(TrackingException.ResourceDoesNotExist, e.ErrorCode);
    }

    [Theory]
    [InlineData(RunStatus.Finished)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Killed)]
    public async Task UpdateRun_TerminalStatus_SetsStatusAndEndTime(RunStatus status)
    {
        var (store, runId) = await NewRunAsync();
        await store.UpdateRunAsync(runId, status, T0.AddMinutes(5));
        var run = await store.GetRunAsync(runId);
        Assert.Equal((status, (DateTimeOffset?)T0.AddMinutes(5)), (run.Status, run.EndTime));
    }

    [Fact]
    public async Task UpdateRun_UnknownRun_ThrowsResourceDoesNotExist()
    {
        var store = await OpenStoreAsync();
        var e = await Assert.ThrowsAsync<TrackingException>(() => store.UpdateRunAsync("missing", RunStatus.Finished, T0));
        Assert.Equal(TrackingException.ResourceDoesNotExist, e.ErrorCode);
    }

    [Fact]
    public async Task LogParam_SameValueTwice_IsNoOp()
    {
        var (store, runId) = await NewRunAsync();
        await store.LogParamAsync(runId, "lr", "1e-4");
        await store.LogParamAsync(runId, "lr", "1e-4");
        Assert.Equal("1e-4", (await store.GetRunAsync(runId)).Params["lr"]);
    }

    [Fact]
    public async Task LogParam_DifferentValue_ThrowsNamingRunAndKey()
    {
        var (store, runId) = await NewRunAsync();
        await store.LogParamAsync(runId, "lr", "1e-4");
        var e = await Assert.ThrowsAsync<TrackingException>(() => store.LogParamAsync(runId, "lr", "2e-4"));
        Assert.Equal(TrackingException.InvalidParameterValue, e.ErrorCode);
        Assert.Contains(runId, e.Message, StringComparison.Ordinal);
        Assert.Contains("'lr'", e.Message, StringComparison.Ordinal);
        Assert.Equal("1e-4", (await store.GetRunAsync(runId)).Params["lr"]);
    }

    [Fact]
    public async Task LogMetric_SeveralSteps_HistoryIsAppendedInStepOrder()
    {
        var (store, runId) = await NewRunAsync();
        await store.LogMetricAsync(runId, new MetricPoint("loss", 2.5, 2, T0.AddSeconds(2)));
        await store.LogMetricAsync(runId, new MetricPoint("loss", 3.0, 1, T0.AddSeconds(1)));
        await store.LogMetricAsync(runId, new MetricPoint("loss", 2.5, 2, T0.AddSeconds(2)));
        await store.LogMetricAsync(runId, new MetricPoint("grad_norm", 9, 1, T0));
        var history = await store.GetMetricHistoryAsync(runId, "loss");
        Assert.Equal([1L, 2L, 2L], history.Select(p => p.Step));
        Assert.Equal(new MetricPoint("loss", 3.0, 1, T0.AddSeconds(1)), history[0]);
    }

    [Fact]
    public async Task GetMetricHistory_NeverLoggedKey_IsEmpty()
    {
        var (store, runId) = await NewRunAsync();
        Assert.Empty(await store.GetMetricHistoryAsync(runId, "loss"));
    }

    [Fact]
    public async Task SetTag_SameKeyTwice_Overwrites()
    {
        var (store, runId) = await NewRunAsync();
        await store.SetTagAsync(runId, "gate", "pending");
        await store.SetTagAsync(runId, "gate", "passed");
        Assert.Equal("passed", (await store.GetRunAsync(runId)).Tags["gate"]);
    }

    [Fact]
    public async Task SetTag_UnknownRun_ThrowsResourceDoesNotExist()
    {
        var store = await OpenStoreAsync();
        var e = await Assert.ThrowsAsync<TrackingException>(() => store.SetTagAsync("missing", "k", "v"));
        Assert.Equal(TrackingException.ResourceDoesNotExist, e.ErrorCode);
    }

    protected async Task<(SqlTrackingStore Store, string RunId)> NewRunAsync()
    {
        var store = await OpenStoreAsync();
        var exp = await store.CreateExperimentAsync("e");
        var run = await store.CreateRunAsync(exp.Id, "r", T0);
        return (store, run.Id);
    }
}
