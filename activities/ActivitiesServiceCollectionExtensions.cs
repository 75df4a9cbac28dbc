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
    public static IServiceCollection AddPipelineActivities(this IServiceCollection services, string workspaceRoot, string experiment, Uri servingUrl)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new RecipeWorkspace(workspaceRoot));
        services.AddSingleton(sp => new TrackingRuns(sp.GetRequiredService<ITrackingStore>(), experiment));
        services.AddSingleton(new ServingEndpoint(servingUrl));
        services.AddSingleton(new HttpClient { Timeout = TimeSpan.FromMinutes(2) });
        services.AddSingleton<TrainingActivities>();
        services.AddSingleton<EvalActivities>();
        services.AddSingleton<RegistryActivities>();
        services.AddSingleton<RolloutActivities>();
        return services;
    }
}
