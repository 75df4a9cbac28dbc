using System.Text.Json;
using Pipeline.Ui.Tests.Support;

namespace Pipeline.Ui.Tests.Api;

/// <summary>The registry as the UI shows it: versions, aliases and each version's lineage back to its run.</summary>
[Collection(UiCollection.Name)]
public sealed class ModelsApiTests(UiWorld ui)
{
    [Fact]
    public async Task Models_AfterTheCompletedRun_ShowAliasesAndTheChallengersLineage()
    {
        using var response = await ui.Http.GetAsync("api/models");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var models = JsonDocument.Parse(body).RootElement.GetProperty("models").EnumerateArray().ToList();

        var model = models.Single(m => m.GetProperty("name").GetString() == "arith-demo");
        var champion = model.GetProperty("aliases").GetProperty("champion").GetInt32();
        var versions = model.GetProperty("versions").EnumerateArray().ToList();
        Assert.Contains(versions, v => v.GetProperty("version").GetInt32() == champion
            && v.GetProperty("aliases").EnumerateArray().Any(a => a.GetString() == "champion"));
        // The v1 run's challenger (version 2): made by that run, from that dataset version, with its parent recorded.
        var made = versions.Single(v => v.GetProperty("workflow_id").GetString() == ui.Completed.WorkflowId);
        Assert.Equal("arith-demo@v1", made.GetProperty("dataset").GetString());
        Assert.StartsWith("sha256:", made.GetProperty("parent").GetString(), StringComparison.Ordinal);
        Assert.True(made.GetProperty("lineage").EnumerateObject().Any(), "the stages' artifacts are in the lineage");
        Assert.True(ui.CompletedResult.Promoted == (champion == made.GetProperty("version").GetInt32()),
            "the champion alias points at the challenger exactly when the run promoted it");
    }
}
