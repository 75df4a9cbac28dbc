using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Eval.Domain;
using Pipeline.ML.Rewards;
using Pipeline.Serving.Http;

namespace Pipeline.Serving.Simulation;

/// <summary>
/// Simulated users for an A/B run: each request draws a user and a demo-domain prompt from the seed, asks the server
/// for a completion, scores the reply with <see cref="DemoVerifier"/> and posts thumbs up (correct) or down. The plan
/// is drawn before anything is sent and replies are greedy, so a seed gives the same counts at any concurrency.
/// </summary>
public static class TrafficSimulator
{
    public static async Task<TrafficSimulationResult> RunAsync(TrafficSimulationOptions options, HttpClient? http = null, CancellationToken ct = default)
    {
        options.Validate();
        var prompts = SimulatedPrompt.Load(options.DatasetDir);
        var random = new Random(options.Seed);
        var plan = Enumerable.Range(0, options.Requests)
            .Select(_ => (User: $"user-{random.Next(options.Users):D4}", Prompt: prompts[random.Next(prompts.Count)])).ToList();
        var owned = http is null;
        http ??= new HttpClient();
        var tallies = new ConcurrentDictionary<string, VariantTally>(StringComparer.Ordinal);
        var feedback = 0;
        try
        {
            await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct }, async (item, token) =>
            {
                var (variant, up) = await SendAsync(http, options, item.User, item.Prompt, token);
                tallies.AddOrUpdate(variant, _ => Tally(new VariantTally(0, 0, 0, 0), up), (_, t) => Tally(t, up));
                if (up is not null)
                {
                    Interlocked.Increment(ref feedback);
                }
            });
        }
        finally
        {
            if (owned)
            {
                http.Dispose();
            }
        }
        return new TrafficSimulationResult(new SortedDictionary<string, VariantTally>(tallies, StringComparer.Ordinal), feedback);
    }

    /// <summary>One request and its feedback: the variant that served it and the verdict (null when it failed).</summary>
    private static async Task<(string Variant, bool? Up)> SendAsync(HttpClient http, TrafficSimulationOptions options, string user, SimulatedPrompt prompt, CancellationToken ct)
    {
        var request = new ChatCompletionRequest(options.Model, [new ChatMessageDto("user", prompt.User)], user, options.MaxTokens, Temperature: 0);
        using var response = await http.PostAsJsonAsync(new Uri(options.BaseUrl, "v1/chat/completions"), request, ServingJson.Options, ct);
        if (!response.IsSuccessStatusCode)
        {
            return (TrafficSimulationResult.NoVariant, null);
        }
        var completion = await response.Content.ReadFromJsonAsync<ChatCompletionResponse>(ServingJson.Options, ct)
            ?? throw new JsonException("the server answered a chat completion with JSON null");
        var reply = completion.Choices[0].Message.Content ?? "";
        var up = DemoVerifier.Correct(new RewardInput(prompt.Id, prompt.User, reply, prompt.Columns));
        var body = new FeedbackRequest(completion.Id, up ? "up" : "down");
        using var posted = await http.PostAsJsonAsync(new Uri(options.BaseUrl, "v1/feedback"), body, ServingJson.Options, ct);
        posted.EnsureSuccessStatusCode();
        return (completion.Pipeline.Variant ?? TrafficSimulationResult.NoVariant, up);
    }

    private static VariantTally Tally(VariantTally t, bool? up) => up switch
    {
        true => t with { Requests = t.Requests + 1, ThumbsUp = t.ThumbsUp + 1 },
        false => t with { Requests = t.Requests + 1, ThumbsDown = t.ThumbsDown + 1 },
        null => t with { Errors = t.Errors + 1 },
    };
}
