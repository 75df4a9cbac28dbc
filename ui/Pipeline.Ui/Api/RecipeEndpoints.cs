using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Pipeline.Ui.Api;

/// <summary>The recipe's view of a run (<see cref="RecipeView"/>) and the files of any artifact it names.</summary>
internal static class RecipeEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/recipe/{**id}", async (string id, HttpRequest request, UiSources sources, RecipeView view, CancellationToken ct) =>
        {
            var run = await RunLocator.FindAsync(sources, id, request, ct);
            return run is null ? RunLocator.NotFound(id, request) : Results.Ok(await view.BuildAsync(run, ct));
        });
        api.MapGet("/artifacts/{digest}/{**path}", async (string digest, string path, HttpResponse response, UiSources sources, CancellationToken ct) =>
        {
            // A report opened from here runs in an opaque origin: it cannot read the page's token.
            response.Headers.ContentSecurityPolicy = "sandbox";
            var stream = await ArtifactFiles.OpenAsync(sources.Artifacts, digest, path, ct);
            return stream is null
                ? Results.Problem(statusCode: 404, title: "no such artifact file", detail: $"{path} is not in artifact {digest}")
                : Results.Stream(stream, ContentType(path));
        });
    }

    // The artifact store holds the pipeline's own output (eval reports are HTML people open), so files are served with
    // their type.
    private static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".jsonl" => "application/x-ndjson",
        ".html" => "text/html; charset=utf-8",
        ".md" or ".txt" or ".yaml" => "text/plain; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
