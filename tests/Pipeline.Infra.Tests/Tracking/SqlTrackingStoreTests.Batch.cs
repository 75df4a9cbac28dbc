using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Tests.Tracking;

// LogBatch and the model registry.
public abstract partial class SqlTrackingStoreTests
{
    [Fact]
    public async Task LogBatch_MetricsParamsAndTags_AllStored()
    {
        var (store, runId) = await NewRunAsync();
        var metrics = Enumerable.Range(0, 1500).Select(i => new MetricPoint("loss", 1.0 / (i + 1), i, T0.AddSeconds(i))).ToList();
        await store.LogBatchAsync(
            runId, metrics, new Dictionary<string, string> { ["beta"] = "0.1" }, new Dictionary<string, string> { ["stage"] = "dpo" });
        var run = await store.GetRunAsync(runId);
        Assert.Equal(("0.1", "dpo"), (run.Params["beta"], run.Tags["stage"]));
        Assert.Equal(metrics, await store.GetMetricHistoryAsync(runId, "loss"));
    }

    [Fact]
    public async Task LogBatch_ConflictingParam_WritesNothingFromTheBatch()
    {
        var (store, runId) = await NewRunAsync();
        await store.LogParamAsync(runId, "beta", "0.1");
        await Assert.ThrowsAsync<TrackingException>(() => store.LogBatchAsync(
            runId, [new MetricPoint("loss", 1, 0, T0)], new Dictionary<string, string> { ["beta"] = "0.2" },
            new Dictionary<string, string> { ["stage"] = "dpo" }));
        Assert.Empty(await store.GetMetricHistoryAsync(runId, "loss"));
        Assert.False((await store.GetRunAsync(runId)).Tags.ContainsKey("stage"));
    }

    [Fact]
    public async Task LogBatch_UnknownRun_ThrowsResourceDoesNotExist()
    {
        var store = await OpenStoreAsync();
        var e = await Assert.ThrowsAsync<TrackingException>(() => store.LogBatchAsync("missing", [new MetricPoint("loss", 1, 0, T0)]));
        Assert.Equal(TrackingException.ResourceDoesNotExist, e.ErrorCode);
    }

    [Fact]
    public async Task CreateRegisteredModel_Twice_ReturnsSameModel()
    {
        var store = await OpenStoreAsync();
        var first = await store.CreateRegisteredModelAsync("policy");
        var second = await store.CreateRegisteredModelAsync("policy");
        var read = await store.GetRegisteredModelAsync("policy");
        Assert.Equal((first.Name, first.CreatedAt), (second.Name, second.CreatedAt));
        Assert.Equal((first.Name, first.CreatedAt), (read!.Name, read.CreatedAt));
        Assert.Empty(read.Aliases);
    }

    [Fact]
    public async Task GetRegisteredModel_Unknown_ReturnsNull()
    {
        var store = await OpenStoreAsync();
        Assert.Null(await store.GetRegisteredModelAsync("nope"));
    }

    [Fact]
    public async Task CreateModelVersion_ThreeTimes_NumbersOneTwoThree()
    {
        var (store, runId) = await NewRunAsync();
        await store.CreateRegisteredModelAsync("policy");
        var versions = new List<ModelVersion>();
        for (var i = 0; i < 3; i++)
        {
            versions.Add(await store.CreateModelVersionAsync("policy", $"file:///artifacts/{i}", runId));
        }

        Assert.Equal([1, 2, 3], versions.Select(v => v.Version));
        Assert.Equal(("file:///artifacts/2", runId), (versions[2].Source, versions[2].RunId));
    }

    [Fact]
    public async Task CreateModelVersion_Concurrently_GetsDistinctNumbers()
    {
        var store = await OpenStoreAsync();
        await store.CreateRegisteredModelAsync("policy");
        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.CreateModelVersionAsync("policy", $"s3://m/{i}", null)));
        Assert.Equal(Enumerable.Range(1, 8), versions.Select(v => v.Version).Order());
    }

    [Fact]
    public async Task CreateModelVersion_UnknownModel_ThrowsResourceDoesNotExist()
    {
        var store = await OpenStoreAsync();
        var e = await Assert.ThrowsAsync<TrackingException>(() => store.CreateModelVersionAsync("nope", "s3://m/1", null));
        Assert.Equal(TrackingException.ResourceDoesNotExist, e.ErrorCode);
    }

    [Fact]
    public async Task SetAlias_ChampionMovedToNewVersion_ResolvesToNewVersion()
    {
        var store = await OpenStoreAsync();
        await store.CreateRegisteredModelAsync("policy");
        var v1 = await store.CreateModelVersionAsync("policy", "s3://m/1", null);
        var v2 = await store.CreateModelVersionAsync("policy", "s3://m/2", null);
        await store.SetAliasAsync("policy", "champion", 1);
        await store.SetAliasAsync("policy", "challenger", 2);
        Assert.Equal(v1, await store.GetVersionByAliasAsync("policy", "champion"));
        await store.SetAliasAsync("policy", "champion", 2);
        Assert.Equal(v2, await store.GetVersionByAliasAsync("policy", "champion"));
        Assert.Equal(v2, await store.GetVersionByAliasAsync("policy", "challenger"));
    }

    [Fact]
    public async Task GetModelVersion_ByNumber_ReturnsThatVersionOrNull()
    {
        var store = await OpenStoreAsync();
        await store.CreateRegisteredModelAsync("policy");
        await store.CreateModelVersionAsync("policy", "s3://m/1", null);
        var v2 = await store.CreateModelVersionAsync("policy", "s3://m/2", null);
        Assert.Equal(v2, await store.GetModelVersionAsync("policy", 2));
        Assert.Null(await store.GetModelVersionAsync("policy", 3));
        Assert.Null(await store.GetModelVersionAsync("nobody", 1));
    }

    [Fact]
    public async Task SetAlias_UnknownVersion_ThrowsResourceDoesNotExist()
    {
        var store = await OpenStoreAsync();
        await store.CreateRegisteredModelAsync("policy");
        var e = await Assert.ThrowsAsync<TrackingException>(() => store.SetAliasAsync("policy", "champion", 7));
        Assert.Equal(TrackingException.ResourceDoesNotExist, e.ErrorCode);
    }

    [Fact]
    public async Task DeleteAlias_SetAlias_NoLongerResolves()
    {
        var store = await OpenStoreAsync();
        await store.CreateRegisteredModelAsync("policy");
        await store.CreateModelVersionAsync("policy", "s3://m/1", null);
        await store.SetAliasAsync("policy", "champion", 1);
        await store.DeleteAliasAsync("policy", "champion");
        Assert.Null(await store.GetVersionByAliasAsync("policy", "champion"));
    }

    [Fact]
    public async Task DeleteAlias_NeverSet_DoesNothing()
    {
        var store = await OpenStoreAsync();
        await store.DeleteAliasAsync("policy", "champion");
        Assert.Null(await store.GetVersionByAliasAsync("policy", "champion"));
    }
}
