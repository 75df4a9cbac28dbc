using Microsoft.AspNetCore.Http;
using Pipeline.Durable.Storage;

namespace Pipeline.Ui.Api;

/// <summary>Finds the run an URL names: workflow id in the path (it may contain '/'), run id in <c>?run=</c> (the
/// latest run of the id without it).</summary>
internal static class RunLocator
{
    public static async Task<RunInfo?> FindAsync(UiSources sources, string id, HttpRequest request, CancellationToken ct)
    {
        var runId = request.Query["run"].FirstOrDefault();
        return await sources.Client.Store.GetRunAsync(id, string.IsNullOrEmpty(runId) ? null : runId, ct);
    }

    public static IResult NotFound(string id, HttpRequest request) =>
        Results.Problem(statusCode: 404, title: "no such workflow run",
            detail: $"workflow '{id}'{(request.Query["run"].FirstOrDefault() is { Length: > 0 } r ? $" run {r}" : "")} is not in this store");
}
