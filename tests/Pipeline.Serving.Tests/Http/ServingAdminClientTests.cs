using Pipeline.Serving.Http;
using Pipeline.Serving.Routing;
using Pipeline.Serving.Tests.Support;

namespace Pipeline.Serving.Tests.Http;

public sealed class ServingAdminClientTests(ServingWorld world) : IClassFixture<ServingWorld>
{
    private static ExperimentDefinition Split(double challenger) => new("admin-typed",
        [new ExperimentVariant("champion", 2, 1 - challenger), new ExperimentVariant("challenger", 3, challenger)], "salt");

    [Fact]
    public async Task PutExperimentAsync_WeightsOnlyChanged_KeepsTheExperimentIdAndStats()
    {
        await world.RegisterAsync("admin-typed");
        await using var host = await world.StartHostAsync();
        using var http = new HttpClient();
        var admin = new ServingAdminClient(http, host.Url);
        using var client = new ServingClient(host.Url);

        var started = await admin.PutExperimentAsync(Split(1.0));
        await client.ChatAsync("admin-typed", "user-1", maxTokens: 1);
        var ramped = await admin.PutExperimentAsync(Split(0.5));
        var stats = await admin.GetStatsAsync("admin-typed");
        var restarted = await admin.PutExperimentAsync(Split(0.5) with { Salt = "other" });
        var ended = await admin.EndExperimentAsync("admin-typed");

        Assert.Equal(started.Id, ramped.Id);
        Assert.Equal(started.Id, stats.ExperimentId);
        Assert.Equal(1, stats.Variants.Single(v => v.Variant == "challenger").Requests);
        Assert.NotEqual(started.Id, restarted.Id);
        Assert.Equal(restarted.Id, ended.Id);
        Assert.NotNull(ended.EndedAt);
        Assert.Equal(0, (await admin.GetStatsAsync("admin-typed")).Variants.Sum(v => v.Requests));
    }

    [Fact]
    public async Task GetStatsAsync_UnknownExperiment_ThrowsWithTheServersMessage()
    {
        await using var host = await world.StartHostAsync();
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<ServingException>(() => new ServingAdminClient(http, host.Url).GetStatsAsync("nobody"));

        Assert.Equal(404, e.Status);
        Assert.Contains("nobody", e.Message, StringComparison.Ordinal);
    }
}
