using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tracking;

/// <summary>Reading and writing MLflow's JSON entities (snake_case fields, times in Unix milliseconds).</summary>
internal static class MlflowJson
{
    public static JsonArray KeyValues(IEnumerable<KeyValuePair<string, string>> pairs) =>
        [.. pairs.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value })];

    public static JsonObject Metric(MetricPoint m) => new()
    {
        ["key"] = m.Key,
        ["value"] = m.Value,
        ["timestamp"] = m.Timestamp.ToUnixTimeMilliseconds(),
        ["step"] = m.Step,
    };

    public static MetricPoint ToMetric(JsonNode node) => new(
        Str(node, "key"), Double(node["value"]), Int64(node["step"]) ?? 0, FromMs(Int64(node["timestamp"]) ?? 0));

    public static TrackedRun ToRun(JsonNode run)
    {
        var info = run["info"] ?? throw Malformed("run.info");
        var data = run["data"];
        var end = Int64(info["end_time"]);
        return new TrackedRun(
            Str(info, "run_id"),
            Str(info, "experiment_id"),
            info["run_name"]?.GetValue<string>() ?? "",
            RunStatusNames.Parse(info["status"]?.GetValue<string>() ?? "RUNNING"),
            FromMs(Int64(info["start_time"]) ?? 0),
            end is { } ms ? FromMs(ms) : null,
            ToDictionary(data?["params"]),
            ToDictionary(data?["tags"]),
            LatestMetrics(data?["metrics"]));
    }

    public static ModelVersion ToModelVersion(JsonNode mv) => new(
        Str(mv, "name"),
        int.Parse(Str(mv, "version"), CultureInfo.InvariantCulture),
        mv["source"]?.GetValue<string>() ?? "",
        mv["run_id"]?.GetValue<string>() is { Length: > 0 } runId ? runId : null,
        FromMs(Int64(mv["creation_timestamp"]) ?? 0));

    public static RegisteredModel ToRegisteredModel(JsonNode rm) => new(
        Str(rm, "name"),
        FromMs(Int64(rm["creation_timestamp"]) ?? 0),
        // Versions are strings in the registry API ("1"), as in model_version.version.
        (rm["aliases"] as JsonArray ?? []).Where(n => n is not null)
            .ToDictionary(n => Str(n!, "alias"), n => int.Parse(Str(n!, "version"), CultureInfo.InvariantCulture)));

    public static string Str(JsonNode node, string field) =>
        node[field]?.GetValue<string>() ?? throw Malformed(field);

    /// <summary>int64 fields may come as JSON numbers or, per protobuf's JSON mapping, as strings.</summary>
    public static long? Int64(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String =>
            long.Parse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture),
        JsonValue v => v.GetValue<long>(),
        _ => throw Malformed("int64 field"),
    };

    /// <summary>double fields are JSON numbers, except NaN and ±Infinity, which protobuf's JSON mapping writes as strings.</summary>
    public static double Double(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String =>
            double.Parse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValue v => v.GetValue<double>(),
        _ => throw Malformed("double field"),
    };

    /// <summary>
    /// run.data.metrics holds each key's latest point already; should a server list several points for a key, the
    /// latest wins by MLflow's rule: highest step, then latest timestamp, then largest value.
    /// </summary>
    private static Dictionary<string, double> LatestMetrics(JsonNode? array) =>
        (array as JsonArray ?? []).Where(n => n is not null).Select(n => ToMetric(n!))
            .GroupBy(m => m.Key)
            .ToDictionary(g => g.Key, g => g.OrderBy(m => m.Step).ThenBy(m => m.Timestamp).ThenBy(m => m.Value).Last().Value);

    private static Dictionary<string, string> ToDictionary(JsonNode? array) =>
        (array as JsonArray ?? []).Where(n => n is not null).ToDictionary(n => Str(n!, "key"), n => n!["value"]?.GetValue<string>() ?? "");

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static TrackingException Malformed(string what) =>
        new("MALFORMED_RESPONSE", $"The MLflow server's answer lacks {what}.");
}
