using System.Net;
using Pipeline.Serving.Models;
using Pipeline.Serving.Tests.Support;

namespace Pipeline.Serving.Tests.Http;

public sealed class ChatCompletionsTests(ServingWorld world) : IClassFixture<ServingWorld>
{
    [Fact]
    public async Task ChatCompletions_ChampionByName_ReturnsCompletionWithUsage()
    {
        await world.RegisterAsync("chat-roundtrip");
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);

        var (status, body) = await client.ChatAsync("chat-roundtrip", maxTokens: 6);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("chatcmpl-", body["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", body["object"]!.GetValue<string>());
        Assert.Equal("chat-roundtrip/1", body["model"]!.GetValue<string>());
        Assert.Equal("assistant", body["choices"]![0]!["message"]!["role"]!.GetValue<string>());
        Assert.Contains(body["choices"]![0]!["finish_reason"]!.GetValue<string>(), new[] { "stop", "length" });
        var usage = body["usage"]!;
        var completion = usage["completion_tokens"]!.GetValue<int>();
        Assert.InRange(completion, 1, 6);
        Assert.True(usage["prompt_tokens"]!.GetValue<int>() > "What is 2 + 3?".Length, ServingClient.Json(body));
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>() + completion, usage["total_tokens"]!.GetValue<int>());
        Assert.Equal(1, body["pipeline"]!["model_version"]!.GetValue<int>());
    }

    [Fact]
    public async Task ChatCompletions_AliasAndVersion_ResolveToThatVersion()
    {
        await world.RegisterAsync("chat-forms");
        await world.Tracking.SetAliasAsync("chat-forms", "challenger", 3);
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);

        var (_, byAlias) = await client.ChatAsync("chat-forms@challenger");
        var (_, byVersion) = await client.ChatAsync("chat-forms/2");

        Assert.Equal("chat-forms/3", byAlias["model"]!.GetValue<string>());
        Assert.Equal("chat-forms/2", byVersion["model"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("no-such-model")]
    [InlineData("chat-missing@nightly")]
    [InlineData("chat-missing/9")]
    public async Task ChatCompletions_UnknownModel_Returns404ModelNotFound(string model)
    {
        await world.RegisterAsync("chat-missing");
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);

        var (status, body) = await client.ChatAsync(model);

        Assert.Equal(HttpStatusCode.NotFound, status);
        var error = body["error"]!;
        Assert.Equal("model_not_found", error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal("model", error["param"]!.GetValue<string>());
        Assert.Contains(model, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_StreamTrue_Returns400SayingStreamingIsUnsupported()
    {
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);

        var (status, body) = await client.PostAsync("v1/chat/completions", new { model = "x", messages = new[] { new { role = "user", content = "hi" } }, stream = true });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("stream", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_MalformedJson_Returns400ErrorObject()
    {
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);

        using var response = await client.Http.PostAsync("v1/chat/completions", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"error\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_TwoAdaptersOnOneBase_DifferFromBaseAndLoadTheBaseOnce()
    {
        await world.RegisterAsync("chat-multi");
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);

        var texts = new List<string>();
        foreach (var model in new[] { "chat-multi/1", "chat-multi/2", "chat-multi/3", "chat-multi/2", "chat-multi/1" })
        {
            var (status, body) = await client.ChatAsync(model, maxTokens: 12);
            Assert.Equal(HttpStatusCode.OK, status);
            texts.Add(ServingClient.Text(body));
        }

        Assert.Equal(3, texts.Take(3).Distinct().Count());
        Assert.Equal(texts[1], texts[3]); // switching back to an adapter gives its output again
        Assert.Equal(texts[0], texts[4]); // and the bare base is untouched by the adapters
        var lora = (MultiLoraHost)host.Services.GetService(typeof(MultiLoraHost))!;
        Assert.Equal(1, lora.BaseLoads);
        Assert.Equal(2, Assert.Single(lora.Loaded).Value.Count);
    }

    [Fact]
    public async Task ChatCompletions_ConcurrentRequestsOnTwoAdapters_EachGetsItsOwnAdaptersOutput()
    {
        await world.RegisterAsync("chat-concurrent");
        await using var host = await world.StartHostAsync();
        using var client = new ServingClient(host.Url);
        var expected = new Dictionary<string, string>();
        foreach (var model in new[] { "chat-concurrent/2", "chat-concurrent/3" })
        {
            expected[model] = ServingClient.Text((await client.ChatAsync(model, maxTokens: 10)).Body);
        }

        var models = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? "chat-concurrent/2" : "chat-concurrent/3").ToList();
        var replies = await Task.WhenAll(models.Select(m => client.ChatAsync(m, maxTokens: 10)));

        Assert.All(models.Zip(replies), p => Assert.Equal(expected[p.First], ServingClient.Text(p.Second.Body)));
    }

    [Fact]
    public async Task Models_RegisteredNames_AreListed()
    {
        await world.RegisterAsync("chat-list");
        await using var host = await ServingHost.StartAsync(world.Options() with { ModelNames = ["chat-list", "not-registered"] }, world.Artifacts, world.Tracking);
        using var client = new ServingClient(host.Url);

        var (status, body) = await client.GetAsync("v1/models");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", body["object"]!.GetValue<string>());
        Assert.Equal(["chat-list"], body["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
    }
}
