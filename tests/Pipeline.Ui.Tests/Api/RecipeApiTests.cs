using System.Text.Json;
using Pipeline.Infra.Tracking;
using Pipeline.Ui.Tests.Support;

namespace Pipeline.Ui.Tests.Api;

/// <summary>The recipe view's curves belong to the run shown: the stages' tracking runs carry its run id.</summary>
[Collection(UiCollection.Name)]
public sealed class RecipeApiTests(UiWorld ui)
{
    [Fact]
    public async Task Curves_AnotherRunOfTheSameWorkflowIdLoggedCurves_OnlyThisRunsAreShown()
    {
        var tracking = ui.World.Tracking;
        var experiment = (await tracking.GetExperimentByNameAsync(UiWorld.Experiment))!;
        var ours = await tracking.SearchRunsAsync([experiment.Id], "pipeline.workflow_id", ui.Completed.WorkflowId);
        Assert.NotEmpty(ours);
        Assert.All(ours, t => Assert.Equal(ui.Completed.RunId, t.Tags.GetValueOrDefault("pipeline.run_id")));
        // An earlier run of the same workflow id (say, terminated and started again) left its own SFT curve.
        var stranger = await tracking.CreateRunAsync(experiment.Id, $"{ui.Completed.WorkflowId} sft", DateTimeOffset.UtcNow,
            new Dictionary<string, string> { ["pipeline.workflow_id"] = ui.Completed.WorkflowId, ["pipeline.stage"] = "sft", ["pipeline.run_id"] = "an-earlier-run" });
        await tracking.LogBatchAsync(stranger.Id, [new MetricPoint("loss", 9.5, 1, DateTimeOffset.UtcNow), new MetricPoint("loss", 9.0, 2, DateTimeOffset.UtcNow)]);

        using var response = await ui.Http.GetAsync($"api/recipe/{ui.Completed.WorkflowId}?run={ui.Completed.RunId}");
        var curves = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("curves").EnumerateArray().ToList();

        Assert.Equal(ours.Select(t => t.Id).Order(StringComparer.Ordinal), curves.Select(c => c.GetProperty("run_id").GetString()!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(curves, c => c.GetProperty("run_id").GetString() == stranger.Id);
    }
}
