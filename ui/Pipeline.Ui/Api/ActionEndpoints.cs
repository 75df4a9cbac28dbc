using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pipeline.Durable.Storage;

namespace Pipeline.Ui.Api;

/// <summary>
/// The actions, behind the API token (<c>Authorization: Bearer TOKEN</c>): signal a run (approve, reject, abort, …),
/// request its cancellation, terminate it. Without a configured token the UI is read-only: every action answers 403.
/// A missing or wrong token answers 401. Each action is recorded in the run's history with the identity
/// <c>ui@HOST</c> and the reason given.
/// </summary>
internal static class ActionEndpoints
{
    public sealed record ActionBody(string? Reason, JsonArray? Args);

    private static readonly JsonSerializerOptions BodyOptions = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/info", (UiOptions options, UiSources sources) => Results.Ok(new
        {
            Store = sources.Client.Store.Description,
            ActionsEnabled = !string.IsNullOrEmpty(options.Token),
            RefreshSeconds = options.RefreshInterval.TotalSeconds,
        }));
        api.MapPost("/signal/{name}/{**id}", (string name, string id, HttpRequest request, UiOptions options, UiSources sources, CancellationToken ct) =>
            ActAsync(request, options, sources, id, ct, async (run, body, identity, now) =>
            {
                // The recipe's signals take one string, the reason; other signals take their arguments as a JSON array.
                var args = body.Args?.ToJsonString() ?? JsonSerializer.Serialize(new[] { body.Reason ?? "" });
                return await sources.Client.Store.SignalAsync(run.RunId, name, args, identity, now, ct);
            }));
        api.MapPost("/cancel/{**id}", (string id, HttpRequest request, UiOptions options, UiSources sources, CancellationToken ct) =>
            ActAsync(request, options, sources, id, ct, (run, body, identity, now) =>
                sources.Client.Store.RequestCancelAsync(run.RunId, body.Reason ?? "cancelled from the UI", identity, now, ct)));
        api.MapPost("/terminate/{**id}", (string id, HttpRequest request, UiOptions options, UiSources sources, CancellationToken ct) =>
            ActAsync(request, options, sources, id, ct, (run, body, identity, now) =>
                sources.Client.Store.TerminateAsync(run.RunId, body.Reason ?? "terminated from the UI", identity, now, ct)));
    }

    private static async Task<IResult> ActAsync(HttpRequest request, UiOptions options, UiSources sources, string id, CancellationToken ct,
        Func<RunInfo, ActionBody, string, DateTimeOffset, Task<bool>> act)
    {
        if (string.IsNullOrEmpty(options.Token))
        {
            return Results.Problem(statusCode: 403, title: "read-only", detail: "this UI has no API token configured (Ui:Token), so it takes no actions");
        }
        if (!Authorized(request, options.Token))
        {
            return Results.Problem(statusCode: 401, title: "token required", detail: "send the API token as 'Authorization: Bearer TOKEN'");
        }
        ActionBody body;
        try
        {
            body = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0
                ? await request.ReadFromJsonAsync<ActionBody>(BodyOptions, ct) ?? new ActionBody(null, null)
                : new ActionBody(null, null);
        }
        catch (JsonException e)
        {
            return Results.Problem(statusCode: 400, title: "bad body", detail: $"expected {{\"reason\": \"…\"}} or {{\"args\": […]}}: {e.Message}");
        }
        var run = await RunLocator.FindAsync(sources, id, request, ct);
        if (run is null) return RunLocator.NotFound(id, request);
        if (!run.IsOpen)
        {
            return Results.Problem(statusCode: 409, title: "run closed", detail: $"{run.WorkflowId} run {run.RunId} is {run.Status}: it takes no more actions");
        }
        var done = await act(run, body, $"ui@{Environment.MachineName}", sources.Client.Options.Clock.UtcNow);
        return done
            ? Results.Accepted(value: new { run.WorkflowId, run.RunId })
            : Results.Problem(statusCode: 409, title: "run closed", detail: $"{run.WorkflowId} run {run.RunId} closed before the action reached it");
    }

    private static bool Authorized(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
