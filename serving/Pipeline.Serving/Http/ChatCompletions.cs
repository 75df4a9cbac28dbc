using System.Diagnostics;
using Pipeline.ML.Generation;
using Pipeline.ML.Tokenization;
using Pipeline.Serving.Models;
using Pipeline.Serving.Storage;

namespace Pipeline.Serving.Http;

/// <summary>Serves one chat completion: validate, resolve (and route), generate, record the request for A/B stats.</summary>
public sealed class ChatCompletions(ModelCatalog catalog, ServingStore store, ServingOptions options, TimeProvider clock)
{
    public async Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken ct)
    {
        var (messages, generation) = Validate(request);
        var resolved = await catalog.ResolveAsync(request.Model, request.User, ct);
        var id = $"chatcmpl-{Guid.NewGuid():N}";
        var started = clock.GetTimestamp();
        var created = clock.GetUtcNow();
        Completion completion;
        try
        {
            var served = await catalog.LoadAsync(resolved, ct);
            completion = await catalog.Host.GenerateAsync(served, messages, generation, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The failure counts against the variant that caused it, then the client sees it as a server error.
            await store.RecordRequestAsync(Record(id, created, resolved, request.User, started, 0, 0, e.Message), CancellationToken.None);
            throw e switch
            {
                ServingException s => s,
                ArgumentException a => ServingException.BadRequest($"cannot generate with '{resolved.Id}': {a.Message}"),
                _ => new ServingException(500, $"generation failed for '{resolved.Id}': {e.Message}", "server_error"),
            };
        }
        await store.RecordRequestAsync(Record(id, created, resolved, request.User, started, completion.PromptTokens, completion.CompletionTokens, null), ct);
        var finish = completion.FinishReason == FinishReason.Length ? "length" : "stop";
        return new ChatCompletionResponse(id, "chat.completion", created.ToUnixTimeSeconds(), resolved.Id,
            [new ChatChoice(0, new ChatMessageDto("assistant", completion.Text), finish)],
            new ChatUsage(completion.PromptTokens, completion.CompletionTokens, completion.PromptTokens + completion.CompletionTokens),
            new PipelineRouting(resolved.Variant, resolved.ExperimentId is null ? null : resolved.Name, resolved.Version));
    }

    private RequestRecord Record(string id, DateTimeOffset created, ResolvedModel m, string? user, long started, int prompt, int completion, string? error) =>
        new(id, created, m.Name, m.Version, m.ExperimentId, m.Variant, user, clock.GetElapsedTime(started).TotalMilliseconds, prompt, completion, error);

    private (IReadOnlyList<ChatMessage> Messages, GenerationOptions Options) Validate(ChatCompletionRequest request)
    {
        if (request.Stream == true)
        {
            throw ServingException.BadRequest("stream=true is not supported by this server; send stream=false or leave it out", "stream");
        }
        if (request.Messages is not { Count: > 0 })
        {
            throw ServingException.BadRequest("'messages' must hold at least one message", "messages");
        }
        var roles = new[] { "system", "user", "assistant" };
        foreach (var (m, i) in request.Messages.Select((m, i) => (m, i)))
        {
            if (m?.Role is null || !roles.Contains(m.Role) || m.Content is null)
            {
                throw ServingException.BadRequest($"messages[{i}] needs a role (system, user or assistant) and a string content", $"messages[{i}]");
            }
        }
        var generation = new GenerationOptions
        {
            MaxNewTokens = request.MaxTokens ?? options.DefaultMaxTokens,
            Temperature = request.Temperature ?? 0, // absent or 0: greedy
            TopP = request.TopP ?? 1.0,
            Seed = request.Seed ?? 0,
        };
        try
        {
            generation.Validate();
        }
        catch (ArgumentException e)
        {
            throw ServingException.BadRequest($"invalid sampling parameters: {e.Message}");
        }
        return ([.. request.Messages.Select(m => new ChatMessage(m.Role!, m.Content!))], generation);
    }
}
