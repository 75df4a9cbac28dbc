using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Serving.Http;

namespace Pipeline.Serving.Tests.Support;

/// <summary>Thin JSON helpers over HttpClient for the serving routes.</summary>
public sealed class ServingClient(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl };

    public HttpClient Http => _http;

    public Task<(HttpStatusCode Status, JsonNode Body)> ChatAsync(string model, string? user = null, string content = "What is 2 + 3?", int maxTokens = 8) =>
        PostAsync("v1/chat/completions", new ChatCompletionRequest(model, [new ChatMessageDto("user", content)], user, maxTokens));

    public async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, object body) =>
        await ReadAsync(await _http.PostAsJsonAsync(path, body, ServingJson.Options));

    public async Task<(HttpStatusCode Status, JsonNode Body)> PutAsync(string path, object body) =>
        await ReadAsync(await _http.PutAsJsonAsync(path, body, ServingJson.Options));

    public async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string path) => await ReadAsync(await _http.GetAsync(path));

    public async Task<(HttpStatusCode Status, JsonNode Body)> DeleteAsync(string path) => await ReadAsync(await _http.DeleteAsync(path));

    public void Dispose() => _http.Dispose();

    private static async Task<(HttpStatusCode, JsonNode)> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!);
        }
    }

    public static object Experiment(string name, double challengerWeight, string salt = "s1") => new
    {
        name,
        salt,
        variants = new[]
        {
            new { variant = "champion", model_version = 2, weight = 1 - challengerWeight },
            new { variant = "challenger", model_version = 3, weight = challengerWeight },
        },
    };

    public static string Text(JsonNode body) => body["choices"]![0]!["message"]!["content"]!.GetValue<string>();

    public static string? Variant(JsonNode body) => body["pipeline"]?["variant"]?.GetValue<string>();

    public static string Json(JsonNode body) => body.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
