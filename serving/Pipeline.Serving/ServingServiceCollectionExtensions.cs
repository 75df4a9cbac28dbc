using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Serving.Http;
using Pipeline.Serving.Models;
using Pipeline.Serving.Storage;

namespace Pipeline.Serving;

/// <summary>Wiring for the serving layer. The caller registers IArtifactStore and ITrackingStore (infra's wiring).</summary>
public static class ServingServiceCollectionExtensions
{
    public static IServiceCollection AddPipelineServing(this IServiceCollection services, ServingOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => ServingStore.Open(options.DatabasePath, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<MultiLoraHost>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<ChatCompletions>();
        return services;
    }

    /// <summary>Maps /v1 (OpenAI-compatible) and /admin (experiments), every route answering errors as OpenAI error objects.</summary>
    public static IEndpointRouteBuilder MapPipelineServing(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.AddEndpointFilter<OpenAiErrorFilter>();
        ServingEndpoints.Map(v1);
        var admin = app.MapGroup("/admin");
        admin.AddEndpointFilter<OpenAiErrorFilter>();
        AdminEndpoints.Map(admin);
        return app;
    }
}
