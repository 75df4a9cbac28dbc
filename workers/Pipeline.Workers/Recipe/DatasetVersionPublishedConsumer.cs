using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Contracts;

namespace Pipeline.Workers.Recipe;

/// <summary>The recipe's trigger: a published dataset version starts <c>post-train/{dataset}@{version}</c>. A duplicate
/// or redelivered event finds that run (running or ended) and starts nothing; a failure to start is retried by the bus
/// and then parked in the error queue with the reason.</summary>
public sealed class DatasetVersionPublishedConsumer(RecipeLauncher launcher, RecipeSettings settings, RecipeDefinition recipe,
    ILogger<DatasetVersionPublishedConsumer> logger) : IConsumer<DatasetVersionPublished>
{
    public async Task Consume(ConsumeContext<DatasetVersionPublished> context)
    {
        var e = context.Message;
        if (!settings.StartOnPublish)
        {
            logger.LogInformation("{Dataset}@{Version} published; Recipe:StartOnPublish is false, so no recipe starts (`pipeline run --dataset {Dataset}@{Version}` starts it by hand)",
                e.Dataset, e.Version, e.Dataset, e.Version);
            return;
        }
        await launcher.StartAsync(e.Dataset, e.Version, recipe.Config, context.CancellationToken);
    }
}
