using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tracking;

// The read side for audits: runs/search, registered-models/search and model-versions/search, each read to its last page.
public sealed partial class MlflowTrackingStore
{
    // Page sizes within MLflow's thresholds (runs/search 50000, registered-models/search 1000, model-versions/search 200000).
    private const int RunsPageSize = 1000;
    private const int RegistryPageSize = 1000;

    public async Task<IReadOnlyList<TrackedRun>> SearchRunsAsync(
        IReadOnlyList<string> experimentIds, string tagKey, string tagValue, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        ArgumentNullException.ThrowIfNull(tagValue);
        var filter = TagEqualsFilter(tagKey, tagValue);
        if (experimentIds.Count == 0)
        {
            return [];
        }

        var runs = await ReadAllPagesAsync("runs", pageToken =>
        {
            var body = new JsonObject
            {
                ["experiment_ids"] = new JsonArray([.. experimentIds.Select(id => (JsonNode)JsonValue.Create(id))]),
                ["filter"] = filter,
                ["max_results"] = RunsPageSize,
                ["order_by"] = new JsonArray("attributes.start_time ASC"),
            };
            if (pageToken is not null)
            {
                body["page_token"] = pageToken;
            }

            return _http.PostAsync("runs/search", body, ct);
        });
        // Ordered again here: the answer is the contract, not the server's paging order. OrderBy is stable.
        return [.. runs.Select(MlflowJson.ToRun).OrderBy(r => r.StartTime)];
    }

    public async Task<IReadOnlyList<RegisteredModel>> SearchRegisteredModelsAsync(CancellationToken ct = default)
    {
        var models = await ReadAllPagesAsync("registered_models", pageToken =>
            _http.GetAsync("registered-models/search", PageQuery([], pageToken), ct));
        return [.. models.Select(MlflowJson.ToRegisteredModel).OrderBy(m => m.Name, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(string modelName, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        var filter = $"name = '{EscapeLiteral(modelName)}'";
        var versions = await ReadAllPagesAsync("model_versions", pageToken =>
            _http.GetAsync("model-versions/search", PageQuery([("filter", filter)], pageToken), ct));
        return [.. versions.Select(MlflowJson.ToModelVersion).OrderBy(v => v.Version)];
    }

    /// <summary>
    /// MLflow's search syntax for "tag equals value": the key in backticks (keys like pipeline.workflow_id hold
    /// dots), the value a single-quoted literal with backslash escapes.
    /// </summary>
    internal static string TagEqualsFilter(string tagKey, string tagValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(tagKey);
        if (tagKey.Contains('`', StringComparison.Ordinal))
        {
            throw new ArgumentException("MLflow's search syntax cannot quote a tag key that holds a backtick.", nameof(tagKey));
        }

        return $"tags.`{tagKey}` = '{EscapeLiteral(tagValue)}'";
    }

    private static string EscapeLiteral(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("'", @"\'", StringComparison.Ordinal);

    private static List<(string, string)> PageQuery(List<(string, string)> query, string? pageToken)
    {
        query.Add(("max_results", RegistryPageSize.ToString(CultureInfo.InvariantCulture)));
        if (pageToken is not null)
        {
            query.Add(("page_token", pageToken));
        }

        return query;
    }

    /// <summary>Calls <paramref name="fetchPage"/> with each next_page_token until none comes back.</summary>
    private static async Task<List<JsonNode>> ReadAllPagesAsync(string field, Func<string?, Task<JsonObject>> fetchPage)
    {
        var items = new List<JsonNode>();
        string? pageToken = null;
        do
        {
            var page = await fetchPage(pageToken);
            items.AddRange((page[field] as JsonArray ?? []).Where(n => n is not null).Select(n => n!));
            pageToken = page["next_page_token"]?.GetValue<string>() is { Length: > 0 } next ? next : null;
        }
        while (pageToken is not null);

        return items;
    }
}
