using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pipeline.Durable.History;
using Pipeline.Durable.Storage;

namespace Pipeline.Ui.Api;

/// <summary>Runs as Temporal's UI shows them: the filtered list, one run (input, result, relations, pending
/// activities, signals), its raw history (the JSON export) and its query answers (replayed here).</summary>
internal static class WorkflowEndpoints
{
    public const int MaxPageSize = 200;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/workflows", ListAsync);
        api.MapGet("/workflows/{**id}", DescribeAsync);
        api.MapGet("/history/{**id}", HistoryAsync);
        api.MapGet("/events/{**id}", EventsAsync);
        api.MapGet("/query/{name}/{**id}", QueryAsync);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, UiSources sources, CancellationToken ct)
    {
        var q = request.Query;
        if (!TryInt(q["limit"], 50, 1, MaxPageSize, out var limit) || !TryInt(q["offset"], 0, 0, int.MaxValue, out var offset))
        {
            return Results.Problem(statusCode: 400, title: "bad paging", detail: $"limit must be an integer in [1, {MaxPageSize}] and offset ≥ 0");
        }
        if (!TryTime(q["from"], out var from) || !TryTime(q["to"], out var to))
        {
            return Results.Problem(statusCode: 400, title: "bad time range", detail: "from and to must be ISO-8601 times, e.g. 2026-11-22T10:00:00Z");
        }
        var dataset = q["dataset"].FirstOrDefault();
        var query = new RunQuery
        {
            Status = Empty(q["status"]), WorkflowType = Empty(q["type"]), IdContains = Empty(q["id"]), StartedAfter = from, StartedBefore = to,
            Memo = string.IsNullOrWhiteSpace(dataset) ? null : new KeyValuePair<string, string>("dataset", dataset),
            Limit = limit + 1, Offset = offset,
        };
        var runs = await sources.Client.Store.ListRunsAsync(query, ct);
        return Results.Ok(new
        {
            Items = runs.Take(limit).Select(RunRow).ToList(),
            Limit = limit,
            Offset = offset,
            HasMore = runs.Count > limit,
        });
    }

    private static async Task<IResult> DescribeAsync(string id, HttpRequest request, UiSources sources, CancellationToken ct)
    {
        var run = await RunLocator.FindAsync(sources, id, request, ct);
        if (run is null) return RunLocator.NotFound(id, request);
        var store = sources.Client.Store;
        var history = await store.GetHistoryAsync(run.RunId, ct);
        var pending = await store.GetPendingActivitiesAsync(run.RunId, ct);
        var siblings = (await store.ListRunsAsync(new RunQuery { WorkflowId = run.WorkflowId, Limit = 50 }, ct))
            .Select(r => new { r.RunId, r.Status, Started = r.StartedAt }).ToList();
        var children = new List<object>();
        foreach (var e in history.Where(e => e.EventType == EventType.ChildWorkflowExecutionStarted))
        {
            var child = await store.GetRunAsync(e.WorkflowId!, e.RunId, ct);
            children.Add(new { e.WorkflowId, e.RunId, Type = e.Name, Status = child?.Status });
        }
        var definition = sources.Client.FindDefinition(run.WorkflowType);
        return Results.Ok(new
        {
            Run = RunRow(run),
            Input = Json.Parse(run.Input),
            Result = Json.Parse(run.Result),
            run.Failure,
            run.Memo,
            Parent = run.ParentWorkflowId is null ? null : new { WorkflowId = run.ParentWorkflowId, RunId = run.ParentRunId },
            ContinuedFrom = run.ContinuedFromRunId,
            ContinuedTo = run.ContinuedToRunId,
            Runs = siblings,
            Children = children,
            PendingActivities = pending.Select(p => new
            {
                p.Seq, p.ActivityType, p.TaskQueue, p.Attempt, p.State, p.ScheduledAt, p.StartedAt, p.Identity, p.LastHeartbeatAt,
                HeartbeatDetails = Json.Parse(p.HeartbeatDetails), p.LastFailure, p.NextAttemptAt, p.CancelRequested,
            }),
            Signals = history.Where(e => e.EventType == EventType.WorkflowExecutionSignaled)
                .Select(e => new { e.EventId, e.Name, e.Timestamp, Input = Json.Parse(e.Input), e.Identity }),
            Queries = definition?.Queries.Where(kv => kv.Value.GetParameters().Length == 0).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList() ?? [],
            SignalNames = definition?.Signals.Keys.Order(StringComparer.Ordinal).ToList() ?? [],
            EventCount = history.Count,
        });
    }

    private static async Task<IResult> HistoryAsync(string id, HttpRequest request, HttpResponse response, UiSources sources, CancellationToken ct)
    {
        var run = await RunLocator.FindAsync(sources, id, request, ct);
        if (run is null) return RunLocator.NotFound(id, request);
        var history = await sources.Client.Store.GetHistoryAsync(run.RunId, ct);
        if (request.Query.ContainsKey("download"))
        {
            var name = $"{run.WorkflowId.Replace('/', '_')}_{run.RunId}_history.json";
            response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        }
        return Results.Ok(new { run.WorkflowId, run.RunId, Events = history.Select(EventRow) });
    }

    private static async Task<IResult> EventsAsync(string id, HttpRequest request, UiSources sources, CancellationToken ct)
    {
        var run = await RunLocator.FindAsync(sources, id, request, ct);
        if (run is null) return RunLocator.NotFound(id, request);
        var history = await sources.Client.Store.GetHistoryAsync(run.RunId, ct);
        return Results.Ok(HistoryGroups.Build(run, history));
    }

    private static async Task<IResult> QueryAsync(string name, string id, HttpRequest request, UiSources sources, CancellationToken ct)
    {
        var run = await RunLocator.FindAsync(sources, id, request, ct);
        if (run is null) return RunLocator.NotFound(id, request);
        try
        {
            var json = await sources.Client.GetWorkflowHandle(run.WorkflowId, run.RunId).QueryJsonAsync(name, "[]", ct);
            return Results.Ok(new { Name = name, Result = Json.Parse(json) });
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            return Results.Problem(statusCode: 400, title: $"query {name} failed", detail: e.Message);
        }
    }

    public static object RunRow(RunInfo r) => new
    {
        Id = r.WorkflowId,
        r.RunId,
        Type = r.WorkflowType,
        r.Status,
        Started = r.StartedAt,
        Closed = r.ClosedAt,
        DurationSeconds = r.ClosedAt is { } c ? (c - r.StartedAt).TotalSeconds : (double?)null,
        r.TaskQueue,
        Dataset = r.Memo?.GetValueOrDefault("dataset"),
        Parent = r.ParentWorkflowId,
    };

    public static object EventRow(HistoryEvent e) => new
    {
        e.EventId, EventType = e.EventType.ToString(), e.Timestamp, e.Seq, e.Name, Input = Json.Parse(e.Input), Result = Json.Parse(e.Result), e.Failure,
        e.Attempt, e.Identity, e.TaskQueue, e.WorkflowId, e.RunId, e.Time, e.NextAttemptAt, Details = Json.Parse(e.Details), e.Reason,
    };

    private static string? Empty(Microsoft.Extensions.Primitives.StringValues v) => string.IsNullOrWhiteSpace(v.FirstOrDefault()) ? null : v.FirstOrDefault()!.Trim();

    private static bool TryInt(Microsoft.Extensions.Primitives.StringValues v, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (string.IsNullOrWhiteSpace(v.FirstOrDefault())) return true;
        return int.TryParse(v.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static bool TryTime(Microsoft.Extensions.Primitives.StringValues v, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(v.FirstOrDefault())) return true;
        if (!DateTimeOffset.TryParse(v.FirstOrDefault(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return false;
        value = t;
        return true;
    }
}
