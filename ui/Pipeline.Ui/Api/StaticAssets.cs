using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Pipeline.Ui.Api;

/// <summary>The page's files, embedded in the assembly (wwwroot/): one HTML page, its script and its style sheet. The
/// page routes by URL fragment (#/runs/…), so every view is <c>/</c>.</summary>
internal static class StaticAssets
{
    private static readonly Assembly Assembly = typeof(StaticAssets).Assembly;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Serve("index.html"));
        app.MapGet("/assets/{name}", (string name) => Serve(name));
    }

    private static IResult Serve(string name)
    {
        var stream = Assembly.GetManifestResourceStream($"wwwroot/{name}");
        if (stream is null) return Results.NotFound();
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return Results.Stream(stream, type);
    }
}
