using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pipeline.Serving.Routing;
using Pipeline.Serving.Storage;

namespace Pipeline.Serving.Http;

/// <summary>Experiment administration: start or reweight, read, end, stats.</summary>
internal static class AdminEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapPut("/experiments/{name}", async (string name, HttpRequest http, ServingStore store, CancellationToken ct) =>
        {
            var body = await ServingEndpoints.ReadAsync<ExperimentDefinition>(http, ct);
            var definition = body with { Name = body.Name ?? name, Salt = body.Salt ?? name, Variants = body.Variants ?? [] };
            if (definition.Name != name)
            {
                throw ServingException.BadRequest($"the body names experiment '{definition.Name}' but the path names '{name}'", "name");
            }
            try
            {
                definition.Validate();
            }
            catch (ArgumentException e)
            {
                throw ServingException.BadRequest(e.Message, "variants");
            }
            return ServingEndpoints.Json(await store.PutExperimentAsync(definition, ct));
        });

        admin.MapGet("/experiments/{name}", async (string name, ServingStore store, CancellationToken ct) =>
            ServingEndpoints.Json(await store.GetLatestExperimentAsync(name, ct) ?? throw NoExperiment(name)));

        admin.MapDelete("/experiments/{name}", async (string name, ServingStore store, CancellationToken ct) =>
            await store.EndExperimentAsync(name, ct)
                ? ServingEndpoints.Json(await store.GetLatestExperimentAsync(name, ct) ?? throw NoExperiment(name))
                : throw NoExperiment(name));

        admin.MapGet("/experiments/{name}/stats", async (string name, ServingStore store, CancellationToken ct) =>
            ServingEndpoints.Json(await store.GetStatsAsync(await store.GetLatestExperimentAsync(name, ct) ?? throw NoExperiment(name), ct)));
    }

    private static ServingException NoExperiment(string name) => ServingException.NotFound($"no experiment named '{name}' is running", "name");
}
