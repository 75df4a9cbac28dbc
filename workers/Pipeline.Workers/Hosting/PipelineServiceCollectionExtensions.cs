using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Configuration;

namespace Pipeline.Workers.Hosting;

/// <summary>The adapters a long-running process uses, chosen by its settings: one call (eShop's wiring style).</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>Settings (validated at start), the artifact store, the tracking store (embedded: in
    /// <paramref name="store"/>'s database), the event bus with the outbox and its dispatcher, and the consumers
    /// <paramref name="consumers"/> registers.</summary>
    public static IServiceCollection AddPipelineInfrastructure(this IServiceCollection services, PipelineSettings settings, StoreUri store,
        Action<IBusRegistrationConfigurator>? consumers = null, bool dispatchOutbox = true)
    {
        services.AddPipelineSettings();
        services.AddSingleton<IHostLifetime, CliHostLifetime>();
        services.AddPipelineArtifacts(settings);
        services.AddPipelineTracking(settings, store.SqlitePath, store.PostgresConnectionString);
        services.AddPipelineBus(settings.Bus, consumers ?? (_ => { }), dispatchOutbox);
        return services;
    }
}
