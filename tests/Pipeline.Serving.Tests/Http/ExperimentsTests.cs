using System.Net;
using System.Text.Json.Nodes;
using Pipeline.Serving.Tests.Support;

namespace Pipeline.Serving.Tests.Http;

public sealed class ExperimentsTests(ServingWorld world) : IClassFixture<ServingWorld>
{
    [Fact]
    public async Task ChatCompletions_ChallengerWeightOne_RoutesEveryUserToChallenger()
    {
        await world.RegisterAsync("ab-all");
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("admin/experiments/ab-all", ServingClient.Experiment("ab-all", 1.0))).Status);

        foreach (var user in new[] { "user-0001", "user-0002", null })
        {
            var (_, body) = await client.ChatAsync("ab-all", user, maxTokens: 1);
            Assert.Equal("challenger", ServingClient.Variant(body));
            Assert.Equal("ab-all/3", body["model"]!.GetValue<string>());
            Assert.Equal("ab-all", body["pipeline"]!["experiment"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task ChatCompletions_SameUserHalfSplit_KeepsOneVariant()
    {
        await world.RegisterAsync("ab-sticky");
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);
        await client.PutAsync("admin/experiments/ab-sticky", ServingClient.Experiment("ab-sticky", 0.5));

        var seen = new Dictionary<string, HashSet<string>>();
        for (var i = 0; i < 24; i++)
        {
            var user = $"user-{i % 6:D4}";
            var (_, body) = await client.ChatAsync("ab-sticky", user, maxTokens: 1);
            (seen.TryGetValue(user, out var set) ? set : seen[user] = []).Add(ServingClient.Variant(body)!);
        }

        Assert.All(seen, kv => Assert.Single(kv.Value));
    }

    [Fact]
    public async Task DeleteExperiment_Running_SendsTrafficBackToChampion()
    {
        await world.RegisterAsync("ab-end");
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);
        await client.PutAsync("admin/experiments/ab-end", ServingClient.Experiment("ab-end", 1.0));

        var (status, ended) = await client.DeleteAsync("admin/experiments/ab-end");
        var (_, body) = await client.ChatAsync("ab-end", "user-0001", maxTokens: 1);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(ended["ended_at"]);
        Assert.Equal("ab-end/1", body["model"]!.GetValue<string>());
        Assert.Null(ServingClient.Variant(body));
    }

    [Fact]
    public async Task PutExperiment_WeightsNotSummingToOne_Returns400()
    {
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);

        var bad = new { name = "ab-bad", salt = "s", variants = new[] { new { variant = "champion", model_version = 1, weight = 0.7 } } };
        var (status, body) = await client.PutAsync("admin/experiments/ab-bad", bad);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("sum to", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_ThumbsAndScores_UpdateVariantStats()
    {
        await world.RegisterAsync("ab-stats");
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);
        await client.PutAsync("admin/experiments/ab-stats", ServingClient.Experiment("ab-stats", 1.0));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await client.ChatAsync("ab-stats", $"user-{i}", maxTokens: 2)).Body["id"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("v1/feedback", new { response_id = ids[0], thumbs = "up" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("v1/feedback", new { response_id = ids[1], thumbs = "down" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("v1/feedback", new { response_id = ids[2], score = 0.75 })).Status);
        var (status, stats) = await client.GetAsync("admin/experiments/ab-stats/stats");

        Assert.Equal(HttpStatusCode.OK, status);
        var challenger = Variant(stats, "challenger");
        Assert.Equal(3, challenger["requests"]!.GetValue<int>());
        Assert.Equal(0, challenger["errors"]!.GetValue<int>());
        Assert.Equal(3, challenger["feedback_count"]!.GetValue<int>());
        Assert.Equal(2, challenger["positive"]!.GetValue<int>());
        Assert.Equal((1 + 0 + 0.75) / 3, challenger["mean_score"]!.GetValue<double>(), 1e-9);
        Assert.NotNull(challenger["latency_ms"]!["p95"]);
        Assert.InRange(challenger["completion_tokens"]!.GetValue<long>(), 3, 6);
        Assert.Equal(0, Variant(stats, "champion")["requests"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"response_id":"chatcmpl-nope","thumbs":"up"}""", HttpStatusCode.NotFound)]
    [InlineData("""{"response_id":"chatcmpl-nope","thumbs":"up","score":1}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"response_id":"chatcmpl-nope"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"response_id":"chatcmpl-nope","score":1.5}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"response_id":"chatcmpl-nope","thumbs":"sideways"}""", HttpStatusCode.BadRequest)]
    public async Task Feedback_InvalidOrUnknown_ReturnsErrorObject(string json, HttpStatusCode expected)
    {
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);

        var (status, body) = await client.PostAsync("v1/feedback", JsonNode.Parse(json)!);

        Assert.Equal(expected, status);
        Assert.NotNull(body["error"]?["message"]);
    }

    [Fact]
    public async Task Stats_HostRestartedOnTheSameDatabase_Survive()
    {
        await world.RegisterAsync("ab-restart");
        var database = Path.Combine(world.Root, "restart.db");
        string before;
        await using (var host = await world.StartHostAsync(database))
        {
            using var client = new ServingClient(host.Url);
            await client.PutAsync("admin/experiments/ab-restart", ServingClient.Experiment("ab-restart", 0.5));
            var id = (await client.ChatAsync("ab-restart", "user-0007", maxTokens: 2)).Body["id"]!.GetValue<string>();
            await client.PostAsync("v1/feedback", new { response_id = id, thumbs = "up" });
            before = ServingClient.Json((await client.GetAsync("admin/experiments/ab-restart/stats")).Body);
        }

        await using var restarted = await world.StartHostAsync(database);
        using var again = new ServingClient(restarted.Url);
        var (status, after) = await again.GetAsync("admin/experiments/ab-restart/stats");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(before, ServingClient.Json(after));
        Assert.Equal(1, after["variants"]!.AsArray().Sum(v => v!["positive"]!.GetValue<int>()));
    }

    private static JsonNode Variant(JsonNode stats, string name) =>
        stats["variants"]!.AsArray().Single(v => v!["variant"]!.GetValue<string>() == name)!;
}
