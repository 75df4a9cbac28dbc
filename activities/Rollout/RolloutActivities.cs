using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Durable;
using Pipeline.Infra.Artifacts;
using Pipeline.Serving.Routing;
using Pipeline.Serving.Simulation;
using Pipeline.Workflows.Contracts;
using ServingStats = Pipeline.Serving.Storage.ExperimentStats;

namespace Pipeline.Activities.Rollout;

/// <summary>The A/B window's side effects on the serving API: start an experiment (champion and challenger with their
/// weights), read its per-variant stats, end it; and, for demos and tests, the traffic simulator.</summary>
public sealed class RolloutActivities(HttpClient http, ServingEndpoint serving, IArtifactStore store, RecipeWorkspace workspace, ILogger<RolloutActivities> logger)
    : IRolloutActivities
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Activity]
    public async Task<ExperimentRef> StartExperimentAsync(StartExperimentRequest r)
    {
        var definition = new ExperimentDefinition(r.ModelName,
            [new ExperimentVariant("champion", r.ChampionVersion, 1 - r.ChallengerShare), new ExperimentVariant("challenger", r.ChallengerVersion, r.ChallengerShare)],
            r.Salt);
        using var response = await http.PutAsJsonAsync(Url($"admin/experiments/{Uri.EscapeDataString(r.ModelName)}"), definition, Json, Token);
        var started = await ReadAsync<ExperimentRecord>(response);
        logger.LogStage("ab_rollout", $"{r.ModelName}: {r.ChallengerShare:P0} of traffic to challenger v{r.ChallengerVersion}, the rest to champion v{r.ChampionVersion} (experiment {started.Id})");
        return new ExperimentRef(r.ModelName, started.Id);
    }

    [Activity]
    public async Task<ExperimentStats> ReadExperimentAsync(ExperimentRef e)
    {
        using var response = await http.GetAsync(Url($"admin/experiments/{Uri.EscapeDataString(e.ModelName)}/stats"), Token);
        var stats = await ReadAsync<ServingStats>(response);
        if (stats.ExperimentId != e.ExperimentId)
        {
            throw Failures.InvalidInput($"experiment {e.ModelName} was restarted by someone else ({stats.ExperimentId}, not {e.ExperimentId}): this window's numbers are gone");
        }
        return new ExperimentStats(e.ExperimentId, Variant(stats, "champion"), Variant(stats, "challenger"));
    }

    [Activity]
    public async Task EndExperimentAsync(ExperimentRef e)
    {
        using var response = await http.DeleteAsync(Url($"admin/experiments/{Uri.EscapeDataString(e.ModelName)}"), Token);
        if (response.StatusCode != System.Net.HttpStatusCode.NotFound) await ReadAsync<JsonElement>(response);   // 404: already ended
    }

    [Activity]
    public async Task<SimulationResult> SimulateTrafficAsync(SimulateTrafficRequest r)
    {
        var data = await DatasetVersionFiles.OpenAsync(store, r.Dataset, workspace, Token);
        if (ActivityExecutionContext.HasCurrent) ActivityExecutionContext.Current.Heartbeat();
        var result = await TrafficSimulator.RunAsync(new TrafficSimulationOptions
        {
            BaseUrl = serving.Url, Model = r.ModelName, DatasetDir = data.Directory, Users = r.Users, Requests = r.Requests, Seed = (int)(r.Seed % int.MaxValue),
        }, http, Token);
        var sent = result.Variants.Values.Sum(v => v.Requests);
        var errors = result.Variants.Values.Sum(v => v.Errors);
        logger.LogStage("ab_rollout", $"simulated {sent} requests ({errors} errors), {result.FeedbackSent} feedback posts");
        return new SimulationResult(sent, errors, result.FeedbackSent);
    }

    private static Workflows.Contracts.VariantStats Variant(ServingStats stats, string name) =>
        stats.Variants.FirstOrDefault(v => v.Variant == name) is { } v
            ? new Workflows.Contracts.VariantStats(v.Requests, v.Errors, v.FeedbackCount, v.Positive, v.LatencyMs.P95 ?? 0)
            : new Workflows.Contracts.VariantStats(0, 0, 0, 0, 0);

    private Uri Url(string path) => new(serving.Url, path);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            var message = $"serving API {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}";
            // A 4xx is a request the server will refuse again; a 5xx or an unreachable server may recover.
            throw (int)response.StatusCode is >= 400 and < 500 ? Failures.InvalidInput(message) : new HttpRequestException(message);
        }
        return JsonSerializer.Deserialize<T>(body, Json) ?? throw new HttpRequestException($"serving API returned an empty body for {response.RequestMessage?.RequestUri}");
    }

    private static CancellationToken Token => ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
}
