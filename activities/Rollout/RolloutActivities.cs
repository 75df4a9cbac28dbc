using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Durable;
using Pipeline.Infra.Artifacts;
using Pipeline.Serving.Http;
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
    [Activity]
    public Task<ExperimentRef> StartExperimentAsync(StartExperimentRequest r) => Guard(async () =>
    {
        var definition = new ExperimentDefinition(r.ModelName,
            [new ExperimentVariant("champion", r.ChampionVersion, 1 - r.ChallengerShare), new ExperimentVariant("challenger", r.ChallengerVersion, r.ChallengerShare)],
            r.Salt);
        var started = await Admin.PutExperimentAsync(definition, Token);
        logger.LogStage("ab_rollout", $"{r.ModelName}: {r.ChallengerShare:P0} of traffic to challenger v{r.ChallengerVersion}, the rest to champion v{r.ChampionVersion} (experiment {started.Id})");
        return new ExperimentRef(r.ModelName, started.Id);
    });

    [Activity]
    public Task<ExperimentStats> ReadExperimentAsync(ExperimentRef e) => Guard(async () =>
    {
        var stats = await Admin.GetStatsAsync(e.ModelName, Token);
        if (stats.ExperimentId != e.ExperimentId)
        {
            throw Failures.InvalidInput($"experiment {e.ModelName} was restarted by someone else ({stats.ExperimentId}, not {e.ExperimentId}): this window's numbers are gone");
        }
        return new ExperimentStats(e.ExperimentId, Variant(stats, "champion"), Variant(stats, "challenger"));
    });

    [Activity]
    public Task EndExperimentAsync(ExperimentRef e) => Guard(async () =>
    {
        try
        {
            await Admin.EndExperimentAsync(e.ModelName, Token);
        }
        catch (ServingException x) when (x.Status == 404)
        {
            // Already ended (a retried attempt, or someone by hand): the goal is reached.
        }
        return true;
    });

    [Activity]
    public async Task<SimulationResult> SimulateTrafficAsync(SimulateTrafficRequest r)
    {
        var data = await DatasetVersionFiles.OpenAsync(store, r.Dataset, workspace, Token);
        CurrentActivity.Heartbeat();
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

    private ServingAdminClient Admin => new(http, serving.Url);

    /// <summary>A 4xx from the serving API is a request it will refuse again (not retried); a 5xx or an unreachable
    /// server may recover (retried).</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (ServingException e) when (e.Status is >= 400 and < 500)
        {
            throw Failures.InvalidInput($"serving API: {e.Status} {e.Message}", e);
        }
    }

    private static CancellationToken Token => CurrentActivity.Token;
}
