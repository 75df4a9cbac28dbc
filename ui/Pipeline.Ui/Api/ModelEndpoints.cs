using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pipeline.Infra.Tracking;

namespace Pipeline.Ui.Api;

/// <summary>The model registry: every model, its versions and aliases, and each version's lineage (dataset version,
/// the workflow run that made it, its parent and package, the artifacts of its stages) from the tracking run that
/// registered it.</summary>
internal static class ModelEndpoints
{
    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/models", async (UiSources sources, CancellationToken ct) =>
    {
        var models = new List<object>();
        foreach (var model in await sources.Tracking.SearchRegisteredModelsAsync(ct))
        {
            var versions = new List<object>();
            foreach (var v in await sources.Tracking.SearchModelVersionsAsync(model.Name, ct))
            {
                var run = v.RunId is null ? null : await TryGetRunAsync(sources.Tracking, v.RunId, ct);
                var lineage = run?.Params ?? new Dictionary<string, string>();
                versions.Add(new
                {
                    v.Version,
                    v.Source,
                    v.CreatedAt,
                    Aliases = model.Aliases.Where(a => a.Value == v.Version).Select(a => a.Key).Order(StringComparer.Ordinal).ToList(),
                    WorkflowId = lineage.GetValueOrDefault("workflow_id"),
                    Dataset = lineage.GetValueOrDefault("dataset"),
                    Parent = lineage.GetValueOrDefault("parent"),
                    TrackingRunId = v.RunId,
                    Lineage = lineage.Where(p => p.Key.StartsWith("lineage.", StringComparison.Ordinal)).ToDictionary(p => p.Key["lineage.".Length..], p => p.Value),
                    Metrics = run?.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(),
                });
            }
            models.Add(new { model.Name, model.CreatedAt, model.Aliases, Versions = versions });
        }
        return Results.Ok(new { Models = models });
    });

    private static async Task<TrackedRun?> TryGetRunAsync(ITrackingStore tracking, string runId, CancellationToken ct)
    {
        try
        {
            return await tracking.GetRunAsync(runId, ct);
        }
        catch (TrackingException)
        {
            return null;   // a version registered by hand, without a run: no lineage to show
        }
    }
}
