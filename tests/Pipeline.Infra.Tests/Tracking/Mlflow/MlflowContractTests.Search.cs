using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Tests.Tracking.Mlflow;

// The read side: runs/search by tag, latest metrics, registered-models/search and model-versions/search, with paging.
public sealed partial class MlflowContractTests
{
    private const string WorkflowTag = "pipeline.workflow_id";

    [Fact]
    public async Task SearchRuns_ThreeMatchesPagedByTwo_PostsBacktickFilterAndFollowsPageToken_Contract()
    {
        var store = Store();
        var sft = await store.CreateExperimentAsync("sft");
        var dpo = await store.CreateExperimentAsync("dpo");
        var other = await store.CreateExperimentAsync("other");
        var late = await store.CreateRunAsync(dpo.Id, "late", T0.AddMinutes(2), Tagged("wf-1"));
        var early = await store.CreateRunAsync(sft.Id, "early", T0, Tagged("wf-1"));
        var middle = await store.CreateRunAsync(sft.Id, "middle", T0.AddMinutes(1), Tagged("wf-1"));
        await store.CreateRunAsync(sft.Id, "other-workflow", T0, Tagged("wf-2"));
        await store.CreateRunAsync(other.Id, "other-experiment", T0, Tagged("wf-1"));
        _server.SearchPageSize = 2;

        var found = await store.SearchRunsAsync([sft.Id, dpo.Id], WorkflowTag, "wf-1");

        Assert.Equal([early.Id, middle.Id, late.Id], found.Select(r => r.Id));
        var requests = _server.RequestsTo("POST", "runs/search");
        Assert.Equal(2, requests.Count);
        var first = requests[0].Body!;
        Assert.Equal($"""["{sft.Id}","{dpo.Id}"]""", first["experiment_ids"]!.ToJsonString());
        Assert.Equal("tags.`pipeline.workflow_id` = 'wf-1'", first["filter"]!.GetValue<string>());
        Assert.Equal(1000, first["max_results"]!.GetValue<int>());
        Assert.Null(first["page_token"]);
        Assert.Equal("2", requests[1].Body!["page_token"]!.GetValue<string>());
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task SearchRuns_ValueWithQuote_EscapesItInTheFilter_Contract()
    {
        var store = Store();
        var exp = await store.CreateExperimentAsync("e");
        var run = await store.CreateRunAsync(exp.Id, "r", T0, Tagged("it's"));
        await store.CreateRunAsync(exp.Id, "r2", T0, Tagged("its"));

        var found = await store.SearchRunsAsync([exp.Id], WorkflowTag, "it's");

        Assert.Equal([run.Id], found.Select(r => r.Id));
        Assert.Equal(@"tags.`pipeline.workflow_id` = 'it\'s'", Assert.Single(_server.RequestsTo("POST", "runs/search")).Body!["filter"]!.GetValue<string>());
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task SearchRuns_NoExperimentIds_ReturnsEmptyWithoutRequest_Contract()
    {
        Assert.Empty(await Store().SearchRunsAsync([], WorkflowTag, "wf"));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task GetRunAndSearchRuns_MetricsOverSteps_ParseLatestValues_Contract()
    {
        var store = Store();
        var run = await store.CreateRunAsync((await store.CreateExperimentAsync("e")).Id, "r", T0, Tagged("wf"));
        await store.LogBatchAsync(run.Id, [
            new MetricPoint("loss", 3.0, 1, T0.AddSeconds(10)),
            new MetricPoint("loss", 2.0, 2, T0.AddSeconds(1)),
            new MetricPoint("accuracy", 0.75, 5, T0),
        ]);
        var expected = new Dictionary<string, double> { ["loss"] = 2.0, ["accuracy"] = 0.75 };

        Assert.Equal(expected, (await store.GetRunAsync(run.Id)).Metrics);
        Assert.Equal(expected, Assert.Single(await store.SearchRunsAsync([run.ExperimentId], WorkflowTag, "wf")).Metrics);
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task SearchRegisteredModels_ThreeModelsPagedByTwo_ListsAllWithAliases_Contract()
    {
        var store = Store();
        foreach (var name in new[] { "value", "policy", "reward" })
        {
            await store.CreateRegisteredModelAsync(name);
        }

        await store.CreateModelVersionAsync("policy", "s3://m/1", null);
        await store.CreateModelVersionAsync("policy", "s3://m/2", null);
        await store.SetAliasAsync("policy", "champion", 2);
        await store.SetAliasAsync("policy", "challenger", 1);
        await store.DeleteAliasAsync("policy", "challenger");
        _server.SearchPageSize = 2;

        var models = await store.SearchRegisteredModelsAsync();

        Assert.Equal(["policy", "reward", "value"], models.Select(m => m.Name));
        Assert.Equal(new Dictionary<string, int> { ["champion"] = 2 }, models[0].Aliases);
        Assert.Equal(new Dictionary<string, int> { ["champion"] = 2 }, (await store.GetRegisteredModelAsync("policy"))!.Aliases);
        var requests = _server.RequestsTo("GET", "registered-models/search");
        Assert.Equal([null, "2"], requests.Select(r => r.Query["page_token"]));
        Assert.Equal("1000", requests[0].Query["max_results"]);
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task SearchModelVersions_ThreeVersionsPagedByTwo_FiltersByNameAndFollowsPageToken_Contract()
    {
        var store = Store();
        await store.CreateRegisteredModelAsync("policy");
        await store.CreateRegisteredModelAsync("reward");
        var created = new List<ModelVersion>();
        for (var i = 1; i <= 3; i++)
        {
            created.Add(await store.CreateModelVersionAsync("policy", $"s3://m/{i}", null));
        }

        await store.CreateModelVersionAsync("reward", "s3://r/1", null);
        _server.SearchPageSize = 2;

        Assert.Equal(created, await store.SearchModelVersionsAsync("policy"));
        var requests = _server.RequestsTo("GET", "model-versions/search");
        Assert.Equal(["name = 'policy'", "name = 'policy'"], requests.Select(r => r.Query["filter"]));
        Assert.Equal([null, "2"], requests.Select(r => r.Query["page_token"]));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public void TagEqualsFilter_KeyWithBacktick_Throws()
    {
        Assert.Throws<ArgumentException>(() => MlflowTrackingStore.TagEqualsFilter("a`b", "v"));
    }

    private static Dictionary<string, string> Tagged(string workflowId) =>
        new() { [WorkflowTag] = workflowId, ["pipeline.stage"] = "sft" };
}
