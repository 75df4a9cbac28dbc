using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pipeline.Serving.Models;
using Pipeline.Serving.Storage;

namespace Pipeline.Serving.Http;

/// <summary>The OpenAI-compatible routes: chat completions, feedback, the model list.</summary>
internal static class ServingEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/chat/completions", async (HttpRequest http, ChatCompletions chat, CancellationToken ct) =>
            Json(await chat.CompleteAsync(await ReadAsync<ChatCompletionRequest>(http, ct), ct)));

        v1.MapPost("/feedback", async (HttpRequest http, ServingStore store, CancellationToken ct) =>
        {
            var feedback = await ReadAsync<FeedbackRequest>(http, ct);
            var score = Score(feedback);
            return await store.SetFeedbackAsync(feedback.ResponseId!, score, ct)
                ? Json(new { response_id = feedback.ResponseId, score })
                : throw ServingException.NotFound($"no response with id '{feedback.ResponseId}'", "response_id");
        });

        v1.MapGet("/models", async (ModelCatalog catalog, CancellationToken ct) =>
            Json(new { @object = "list", data = (await catalog.ListAsync(ct)).Select(id => new { id, @object = "model", created = 0, owned_by = "pipeline" }) }));
    }

    public static IResult Json(object value, int status = 200) => Results.Json(value, ServingJson.Options, statusCode: status);

    /// <summary>Reads the body as JSON; a body that is not the expected JSON is the client's error (400), never a 500.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest http, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Body, ServingJson.Options, ct)
                ?? throw ServingException.BadRequest("the request body is JSON null; expected an object");
        }
        catch (JsonException e)
        {
            throw ServingException.BadRequest($"the request body is not valid JSON for this endpoint: {e.Message}");
        }
    }

    private static double Score(FeedbackRequest f)
    {
        if (string.IsNullOrEmpty(f.ResponseId))
        {
            throw ServingException.BadRequest("'response_id' is required", "response_id");
        }
        if ((f.Thumbs is null) == (f.Score is null))
        {
            throw ServingException.BadRequest("give exactly one of 'thumbs' (\"up\" or \"down\") and 'score' (0 to 1)");
        }
        if (f.Score is { } s)
        {
            return s is >= 0 and <= 1 ? s : throw ServingException.BadRequest($"'score' must be between 0 and 1, got {s}", "score");
        }
        return f.Thumbs switch
        {
            "up" => 1.0,
            "down" => 0.0,
            _ => throw ServingException.BadRequest($"'thumbs' must be \"up\" or \"down\", got \"{f.Thumbs}\"", "thumbs"),
        };
    }
}
