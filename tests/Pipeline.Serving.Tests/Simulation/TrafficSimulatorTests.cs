using System.Net;
using Pipeline.Serving.Simulation;
using Pipeline.Serving.Tests.Support;

namespace Pipeline.Serving.Tests.Simulation;

public sealed class TrafficSimulatorTests(ServingWorld world) : IClassFixture<ServingWorld>
{
    [Fact]
    public async Task RunAsync_TinyDataset_RecordsFeedbackForEveryRequest()
    {
        await world.RegisterAsync("sim");
        var dataset = WriteDataset(Path.Combine(world.Root, "dataset"));
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);
        await client.PutAsync("admin/experiments/sim", ServingClient.Experiment("sim", 0.5));
        var options = new TrafficSimulationOptions { BaseUrl = host.Url, Model = "sim", DatasetDir = dataset, Users = 10, Requests = 16, Concurrency = 3, Seed = 7, MaxTokens = 4 };

        var result = await TrafficSimulator.RunAsync(options);

        Assert.Equal(16, result.FeedbackSent);
        Assert.Equal(16, result.Variants.Values.Sum(v => v.Requests));
        Assert.All(result.Variants.Values, v => Assert.Equal(v.Requests, v.ThumbsUp + v.ThumbsDown));
        var (status, stats) = await client.GetAsync("admin/experiments/sim/stats");
        Assert.Equal(HttpStatusCode.OK, status);
        var variants = stats["variants"]!.AsArray();
        Assert.Equal(16, variants.Sum(v => v!["feedback_count"]!.GetValue<int>()));
        Assert.All(variants, v => Assert.Equal(
            result.Variants.TryGetValue(v!["variant"]!.GetValue<string>(), out var t) ? t.Requests : 0, v!["requests"]!.GetValue<int>()));
    }

    [Fact]
    public async Task RunAsync_SameSeed_GivesTheSameCounts()
    {
        await world.RegisterAsync("sim-seed");
        var dataset = WriteDataset(Path.Combine(world.Root, "dataset-seed"));
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);
        await client.PutAsync("admin/experiments/sim-seed", ServingClient.Experiment("sim-seed", 0.5));
        var options = new TrafficSimulationOptions { BaseUrl = host.Url, Model = "sim-seed", DatasetDir = dataset, Users = 8, Requests = 10, Concurrency = 2, Seed = 3, MaxTokens = 3 };

        var first = await TrafficSimulator.RunAsync(options);
        var second = await TrafficSimulator.RunAsync(options with { Concurrency = 1 });

        Assert.Equal(first.Variants, second.Variants);
    }

    private static string WriteDataset(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "eval"));
        File.WriteAllLines(Path.Combine(dir, "eval", "in_domain.jsonl"),
        [
            """{"id":"in_domain-0","prompt":[{"role":"user","content":"What is 2 + 3?"}],"answer":"5","behavior":"answer","task":"add","reference":"2 + 3 = 5"}""",
            """{"id":"in_domain-1","prompt":[{"role":"user","content":"What is 9 - 4?"}],"answer":"5","behavior":"answer","task":"sub","reference":"9 - 4 = 5"}""",
            """{"id":"in_domain-2","prompt":[{"role":"user","content":"What is 7 + 1?"}],"answer":"8","behavior":"answer","task":"add","reference":"7 + 1 = 8"}""",
        ]);
        return dir;
    }
}
