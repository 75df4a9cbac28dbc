using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tracking;

/// <summary>
/// <see cref="ITrackingStore"/> over an MLflow tracking server's REST API 2.0 (<c>/api/2.0/mlflow/…</c>): a thin
/// HttpClient, no MLflow SDK. Params, metrics and tags all travel through runs/log-batch, split to its limits.
/// </summary>
public sealed partial class MlflowTrackingStore : ITrackingStore
{
    private readonly MlflowHttp _http;

    public MlflowTrackingStore(HttpClient http, MlflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = new MlflowHttp(http, options);
    }

    public async Task<Experiment> CreateExperimentAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            var created = await _http.PostAsync("experiments/create", new JsonObject { ["name"] = name }, ct);
            return new Experiment(MlflowJson.Str(created, "experiment_id"), name);
        }
        catch (TrackingException e) when (e.ErrorCode == TrackingException.ResourceAlreadyExists)
        {
            return await GetExperimentByNameAsync(name, ct) ?? throw new TrackingException(e.ErrorCode, e.ServerMessage, "it exists, yet experiments/get-by-name found none");
        }
    }

    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken ct = default)
    {
        var found = await GetOrNullAsync("experiments/get-by-name", [("experiment_name", name)], ct);
        return found?["experiment"] is { } e ? new Experiment(MlflowJson.Str(e, "experiment_id"), MlflowJson.Str(e, "name")) : null;
    }

    public async Task<TrackedRun> CreateRunAsync(
        string experimentId,
        string name,
        DateTimeOffset startTime,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken ct = default)
    {
        var body = new JsonObject
        {
            ["experiment_id"] = experimentId,
            ["run_name"] = name,
            ["start_time"] = startTime.ToUnixTimeMilliseconds(),
            ["tags"] = MlflowJson.KeyValues(tags ?? new Dictionary<string, string>()),
        };
        var created = await _http.PostAsync("runs/create", body, ct);
        return MlflowJson.ToRun(created["run"] ?? throw new TrackingException("MALFORMED_RESPONSE", "runs/create returned no run."));
    }

    public async Task<TrackedRun> GetRunAsync(string runId, CancellationToken ct = default)
    {
        var found = await _http.GetAsync("runs/get", [("run_id", runId)], ct);
        return MlflowJson.ToRun(found["run"] ?? throw new TrackingException("MALFORMED_RESPONSE", "runs/get returned no run."));
    }

    public async Task UpdateRunAsync(string runId, RunStatus status, DateTimeOffset? endTime, CancellationToken ct = default)
    {
        var body = new JsonObject { ["run_id"] = runId, ["status"] = RunStatusNames.ToName(status) };
        if (endTime is { } end)
        {
            body["end_time"] = end.ToUnixTimeMilliseconds();
        }

        await _http.PostAsync("runs/update", body, ct);
    }

    public Task LogParamAsync(string runId, string key, string value, CancellationToken ct = default) =>
        LogBatchAsync(runId, [], new Dictionary<string, string> { [key] = value }, null, ct);

    public Task LogMetricAsync(string runId, MetricPoint metric, CancellationToken ct = default) =>
        LogBatchAsync(runId, [metric], null, null, ct);

    public async Task SetTagAsync(string runId, string key, string value, CancellationToken ct = default) =>
        await _http.PostAsync("runs/set-tag", new JsonObject { ["run_id"] = runId, ["key"] = key, ["value"] = value }, ct);

    public async Task LogBatchAsync(
        string runId,
        IReadOnlyList<MetricPoint> metrics,
        IReadOnlyDictionary<string, string>? parameters = null,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken ct = default)
    {
        // Not atomic across chunks (MLflow is not atomic within one request either): a failure may leave a prefix.
        foreach (var chunk in LogBatchSplitter.Split(metrics, [.. parameters ?? Empty], [.. tags ?? Empty]))
        {
            var body = new JsonObject
            {
                ["run_id"] = runId,
                ["metrics"] = new JsonArray([.. chunk.Metrics.Select(m => (JsonNode)MlflowJson.Metric(m))]),
                ["params"] = MlflowJson.KeyValues(chunk.Params),
                ["tags"] = MlflowJson.KeyValues(chunk.Tags),
            };
            await _http.PostAsync("runs/log-batch", body, ct);
        }
    }

    public async Task<IReadOnlyList<MetricPoint>> GetMetricHistoryAsync(string runId, string key, CancellationToken ct = default)
    {
        var points = new List<MetricPoint>();
        string? pageToken = null;
        do
        {
            List<(string, string)> query = [("run_id", runId), ("metric_key", key)];
            if (pageToken is not null)
            {
                query.Add(("page_token", pageToken));
            }

            var page = await _http.GetAsync("metrics/get-history", query, ct);
            points.AddRange((page["metrics"] as JsonArray ?? []).Select(n => MlflowJson.ToMetric(n!)));
            pageToken = page["next_page_token"]?.GetValue<string>() is { Length: > 0 } next ? next : null;
        }
        while (pageToken is not null);

        return [.. points.OrderBy(p => p.Step).ThenBy(p => p.Timestamp)];
    }

    private static readonly Dictionary<string, string> Empty = [];

    /// <summary>A GET whose RESOURCE_DOES_NOT_EXIST means "absent" rather than a failure.</summary>
    private async Task<JsonObject?> GetOrNullAsync(string endpoint, (string, string)[] query, CancellationToken ct)
    {
        try
        {
            return await _http.GetAsync(endpoint, query, ct);
        }
        catch (TrackingException e) when (e.ErrorCode == TrackingException.ResourceDoesNotExist)
        {
            return null;
        }
    }
}
