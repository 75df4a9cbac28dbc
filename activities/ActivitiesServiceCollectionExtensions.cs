using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Activities.Evaluation;
using Pipeline.Activities.Registry;
using Pipeline.Activities.Rollout;
using Pipeline.Activities.Support;
using Pipeline.Activities.Training;
using Pipeline.Infra.Tracking;

namespace Pipeline.Activities;

/// <summary>Registers the recipe's activity classes and what they need beyond the infrastructure (artifact store,
/// tracking store, outbox — registered by the host): the worker's workspace folder, the tracking experiment, the
/// serving API's address.</summary>
public static class ActivitiesServiceCollectionExtensions
{
    public static IServiceCollection AddPipelineActivities(this IServiceCollection services, string workspaceRoot, string experiment, Uri servingUrl) =>
        services.AddPipelineActivities(workspaceRoot, experiment, _ => servingUrl);

    /// <summary>As above, with the serving API's address known only once the process runs (a server that binds a free
    /// port): <paramref name="servingUrl"/> is asked when the rollout activities are first resolved.</summary>
    public static IServiceCollection AddPipelineActivities(this IServiceCollection services, string workspaceRoot, string experiment, Func<IServiceProvider, Uri> servingUrl)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new RecipeWorkspace(workspaceRoot));
        services.AddSingleton(sp => new TrackingRuns(sp.GetRequiredService<ITrackingStore>(), experiment));
        services.AddSingleton(sp => new ServingEndpoint(servingUrl(sp)));
        services.AddSingleton(new HttpClient { Timeout = TimeSpan.FromMinutes(2) });
        services.AddSingleton<TrainingActivities>();
        services.AddSingleton<EvalActivities>();
        services.AddSingleton<RegistryActivities>();
        services.AddSingleton<RolloutActivities>();
        return services;
    }
}
