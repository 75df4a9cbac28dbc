using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Ui.Api;

namespace Pipeline.Ui;

/// <summary>The audit UI's wiring: <see cref="AddPipelineUi"/> registers what the endpoints read, <see cref="MapPipelineUi"/>
/// maps the JSON API under <c>/api</c> and the page at <c>/</c>.</summary>
public static class UiServiceCollectionExtensions
{
    public static IServiceCollection AddPipelineUi(this IServiceCollection services, UiOptions options, UiSources sources)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        return services.AddSingleton(options).AddSingleton(sources).AddSingleton<RecipeView>();
    }

    public static IEndpointRouteBuilder MapPipelineUi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        WorkflowEndpoints.Map(api);
        RecipeEndpoints.Map(api);
        ModelEndpoints.Map(api);
        ActionEndpoints.Map(api);
        StaticAssets.Map(app);
        return app;
    }
}
