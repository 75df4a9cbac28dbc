using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Tests.Tracking;

// The read side the audit UI uses: searching runs by tag, latest metrics, listing models, versions and aliases.
public abstract partial class SqlTrackingStoreTests
{
    private const string WorkflowTag = "pipeline.workflow_id";

    [Fact]
    public async Task SearchRuns_ByWorkflowTag_ReturnsOnlyMatchingRunsOldestFirst()
    {
        var store = await OpenStoreAsync();
        var sft = await store.CreateExperimentAsync("sft");
        var dpo = await store.CreateExperimentAsync("dpo");
        var other = await store.CreateExperimentAsync("other");
        var tagged = (string value) => new Dictionary<string, string> { [WorkflowTag] = value, ["pipeline.stage"] = "s" };
        var late = await store.CreateRunAsync(dpo.Id, "late", T0.AddMinutes(2), tagged("wf-1"));
        var early = await store.CreateRunAsync(sft.Id, "early", T0, tagged("wf-1"));
        var middle = await store.CreateRunAsync(sft.Id, "middle", T0.AddMinutes(1), tagged("wf-1"));
        await store.CreateRunAsync(sft.Id, "other-workflow", T0, tagged("wf-2"));
        await store.CreateRunAsync(sft.Id, "untagged", T0);
        await store.CreateRunAsync(other.Id, "other-experiment", T0, tagged("wf-1"));

        var found = await store.SearchRunsAsync([sft.Id, dpo.Id], WorkflowTag, "wf-1");

        Assert.Equal([early.Id, middle.Id, late.Id], found.Select(r => r.Id));
        Assert.Equal("s", found[0].Tags["pipeline.stage"]);
    }

    [Fact]
    public async Task SearchRuns_ValueWithQuote_MatchesExactly()
    {
        var store = await OpenStoreAsync();
        var exp = await store.CreateExperimentAsync("e");
        var run = await store.CreateRunAsync(exp.Id, "r", T0, new Dictionary<string, string> { [WorkflowTag] = "it's" });
        await store.CreateRunAsync(exp.Id, "r2", T0, new Dictionary<string, string> { [WorkflowTag] = "its" });

        var found = await store.SearchRunsAsync([exp.Id], WorkflowTag, "it's");

        Assert.Equal([run.Id], found.Select(r => r.Id));
    }

    [Fact]
    public async Task SearchRuns_NoExperimentIds_ReturnsEmpty()
    {
        var store = await OpenStoreAsync();
        var exp = await store.CreateExperimentAsync("e");
        await store.CreateRunAsync(exp.Id, "r", T0, new Dictionary<string, string> { [WorkflowTag] = "wf" });
        Assert.Empty(await store.SearchRunsAsync([], WorkflowTag, "wf"));
    }

    [Fact]
    public async Task GetRun_MetricsLoggedOverSteps_HoldsLatestStepValues()
    {
        var (store, runId) = await NewRunAsync();
        // The last step wins even when its timestamp is older; within a step the later timestamp wins.
        await store.LogBatchAsync(runId, [
            new MetricPoint("loss", 3.0, 1, T0.AddSeconds(10)),
            new MetricPoint("loss", 2.0, 2, T0.AddSeconds(1)),
            new MetricPoint("accuracy", 0.5, 5, T0.AddSeconds(1)),
            new MetricPoint("accuracy", 0.7, 5, T0.AddSeconds(2)),
        ]);

        var run = await store.GetRunAsync(runId);

        Assert.Equal(new Dictionary<string, double> { ["loss"] = 2.0, ["accuracy"] = 0.7 }, run.Metrics);
    }

    [Fact]
    public async Task SearchRuns_RunWithMetrics_CarriesLatestMetricsAndParams()
    {
        var store = await OpenStoreAsync();
        var exp = await store.CreateExperimentAsync("e");
        var run = await store.CreateRunAsync(exp.Id, "r", T0, new Dictionary<string, string> { [WorkflowTag] = "wf" });
        await store.LogBatchAsync(
            run.Id, [new MetricPoint("loss", 1.5, 0, T0), new MetricPoint("loss", 0.5, 1, T0)], new Dictionary<string, string> { ["lr"] = "1e-4" });

        var found = Assert.Single(await store.SearchRunsAsync([exp.Id], WorkflowTag, "wf"));

        Assert.Equal(new Dictionary<string, double> { ["loss"] = 0.5 }, found.Metrics);
        Assert.Equal("1e-4", found.Params["lr"]);
    }

    [Fact]
    public async Task SearchRegisteredModels_SeveralModels_ListsAllByNameWithAliases()
    {
        var store = await OpenStoreAsync();
        await store.CreateRegisteredModelAsync("reward");
        await store.CreateRegisteredModelAsync("policy");
        await store.CreateModelVersionAsync("policy", "s3://m/1", null);
        await store.CreateModelVersionAsync("policy", "s3://m/2", null);
        await store.SetAliasAsync("policy", "champion", 1);
        await store.SetAliasAsync("policy", "challenger", 2);
        await store.SetAliasAsync("policy", "champion", 2);
        await store.DeleteAliasAsync("policy", "challenger");

        var models = await store.SearchRegisteredModelsAsync();

        Assert.Equal(["policy", "reward"], models.Select(m => m.Name));
        Assert.Equal(new Dictionary<string, int> { ["champion"] = 2 }, models[0].Aliases);
        Assert.Empty(models[1].Aliases);
    }

    [Fact]
    public async Task GetRegisteredModel_AfterSetAlias_HoldsAliases()
    {
        var store = await OpenStoreAsync();
        await store.CreateRegisteredModelAsync("policy");
        await store.CreateModelVersionAsync("policy", "s3://m/1", null);
        await store.SetAliasAsync("policy", "champion", 1);

        var model = await store.GetRegisteredModelAsync("policy");

        Assert.Equal(new Dictionary<string, int> { ["champion"] = 1 }, model!.Aliases);
    }

    [Fact]
    public async Task SearchModelVersions_ThreeVersions_ListsAllInVersionOrder()
    {
        var store = await OpenStoreAsync();
        await store.CreateRegisteredModelAsync("policy");
        await store.CreateRegisteredModelAsync("reward");
        var created = new List<ModelVersion>();
        for (var i = 1; i <= 3; i++)
        {
            created.Add(await store.CreateModelVersionAsync("policy", $"s3://m/{i}", null));
        }

        await store.CreateModelVersionAsync("reward", "s3://r/1", null);

        Assert.Equal(created, await store.SearchModelVersionsAsync("policy"));
        Assert.Empty(await store.SearchModelVersionsAsync("nobody"));
    }
}
