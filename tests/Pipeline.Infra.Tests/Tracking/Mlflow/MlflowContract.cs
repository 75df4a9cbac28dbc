using System.Collections.Specialized;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Tracking.Mlflow;

/// <summary>
/// The slice of MLflow's REST API 2.0 the client uses, as documented: per endpoint the HTTP method, the required and
/// optional fields and their JSON types (GET: query parameters). Unknown fields are violations too, so a misspelt
/// field name fails a test instead of being silently ignored by a lenient server.
/// </summary>
internal static class MlflowContract
{
    public enum Kind { String, Int64, Double, Status, VersionString, KeyValues, Metrics, StringArray }

    private sealed record Endpoint(Dictionary<string, Kind> Required, Dictionary<string, Kind> Optional);

    private static readonly Dictionary<string, Endpoint> Endpoints = new()
    {
        ["POST experiments/create"] = new(new() { ["name"] = Kind.String },
            new() { ["artifact_location"] = Kind.String, ["tags"] = Kind.KeyValues }),
        ["GET experiments/get-by-name"] = new(new() { ["experiment_name"] = Kind.String }, []),
        ["POST runs/create"] = new(new() { ["experiment_id"] = Kind.String },
            new() { ["run_name"] = Kind.String, ["start_time"] = Kind.Int64, ["tags"] = Kind.KeyValues, ["user_id"] = Kind.String }),
        ["GET runs/get"] = new(new() { ["run_id"] = Kind.String }, []),
        ["POST runs/update"] = new(new() { ["run_id"] = Kind.String },
            new() { ["status"] = Kind.Status, ["end_time"] = Kind.Int64, ["run_name"] = Kind.String }),
        ["POST runs/log-batch"] = new(new() { ["run_id"] = Kind.String },
            new() { ["metrics"] = Kind.Metrics, ["params"] = Kind.KeyValues, ["tags"] = Kind.KeyValues }),
        ["POST runs/set-tag"] = new(new() { ["run_id"] = Kind.String, ["key"] = Kind.String, ["value"] = Kind.String }, []),
        ["GET metrics/get-history"] = new(new() { ["run_id"] = Kind.String, ["metric_key"] = Kind.String },
            new() { ["page_token"] = Kind.String, ["max_results"] = Kind.Int64 }),
        ["POST registered-models/create"] = new(new() { ["name"] = Kind.String },
            new() { ["tags"] = Kind.KeyValues, ["description"] = Kind.String }),
        ["GET registered-models/get"] = new(new() { ["name"] = Kind.String }, []),
        ["POST model-versions/create"] = new(new() { ["name"] = Kind.String, ["source"] = Kind.String },
            new() { ["run_id"] = Kind.String, ["tags"] = Kind.KeyValues, ["run_link"] = Kind.String, ["description"] = Kind.String }),
        ["POST registered-models/alias"] = new(
            new() { ["name"] = Kind.String, ["alias"] = Kind.String, ["version"] = Kind.VersionString }, []),
        ["DELETE registered-models/alias"] = new(new() { ["name"] = Kind.String, ["alias"] = Kind.String }, []),
        ["GET registered-models/alias"] = new(new() { ["name"] = Kind.String, ["alias"] = Kind.String }, []),
        ["POST runs/search"] = new([], new()
        {
            ["experiment_ids"] = Kind.StringArray, ["filter"] = Kind.String, ["run_view_type"] = Kind.String,
            ["max_results"] = Kind.Int64, ["order_by"] = Kind.StringArray, ["page_token"] = Kind.String,
        }),
        ["GET registered-models/search"] = new([], new()
        {
            ["filter"] = Kind.String, ["max_results"] = Kind.Int64, ["order_by"] = Kind.String, ["page_token"] = Kind.String,
        }),
        ["GET model-versions/search"] = new([], new()
        {
            ["filter"] = Kind.String, ["max_results"] = Kind.Int64, ["order_by"] = Kind.String, ["page_token"] = Kind.String,
        }),
    };

    /// <summary>Every way the request departs from the documented contract; empty when it conforms.</summary>
    public static List<string> Check(string method, string endpoint, string? contentType, JsonObject? body, NameValueCollection query)
    {
        var key = $"{method} {endpoint}";
        if (!Endpoints.TryGetValue(key, out var spec))
        {
            return [$"{key} is not an endpoint of the contract"];
        }

        var problems = new List<string>();
        Dictionary<string, JsonNode?> fields;
        if (method == "GET")
        {
            if (body is not null)
            {
                problems.Add($"{key}: GET must carry its arguments in the query string, not a body");
            }

            fields = query.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => (JsonNode?)JsonValue.Create(query[k]));
        }
        else
        {
            if (contentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            {
                problems.Add($"{key}: Content-Type must be application/json, got '{contentType}'");
            }

            fields = body?.ToDictionary(p => p.Key, p => p.Value) ?? [];
        }

        foreach (var (name, kind) in spec.Required)
        {
            if (!fields.TryGetValue(name, out var value) || value is null)
            {
                problems.Add($"{key}: required field '{name}' is missing");
            }
            else
            {
                CheckValue(key, name, kind, value, method == "GET", problems);
            }
        }

        foreach (var (name, value) in fields)
        {
            if (spec.Required.ContainsKey(name))
            {
                continue;
            }

            if (!spec.Optional.TryGetValue(name, out var kind))
            {
                problems.Add($"{key}: unknown field '{name}'");
            }
            else if (value is not null)
            {
                CheckValue(key, name, kind, value, method == "GET", problems);
            }
        }

        return problems;
    }

    private static void CheckValue(string key, string name, Kind kind, JsonNode value, bool fromQuery, List<string> problems)
    {
        var ok = kind switch
        {
            Kind.String => IsString(value),
            Kind.Int64 => fromQuery ? long.TryParse(value.GetValue<string>(), out _) : IsInteger(value),
            Kind.Double => value.GetValueKind() == JsonValueKind.Number,
            Kind.Status => IsString(value) && value.GetValue<string>() is "RUNNING" or "SCHEDULED" or "FINISHED" or "FAILED" or "KILLED",
            Kind.VersionString => IsString(value) && int.TryParse(value.GetValue<string>(), out var v) && v > 0,
            Kind.KeyValues => value is JsonArray a && a.All(e => e is JsonObject o && IsString(o["key"]) && IsString(o["value"]) && o.Count == 2),
            Kind.Metrics => value is JsonArray a && a.All(IsMetric),
            Kind.StringArray => value is JsonArray a && a.All(IsString),
            _ => false,
        };
        if (!ok)
        {
            problems.Add($"{key}: field '{name}' is not a valid {kind}: {value.ToJsonString()}");
        }
    }

    private static bool IsMetric(JsonNode? e) =>
        e is JsonObject o && IsString(o["key"]) && o["value"]?.GetValueKind() == JsonValueKind.Number
        && IsInteger(o["timestamp"]) && (o["step"] is null || IsInteger(o["step"]))
        && o.Select(p => p.Key).All(k => k is "key" or "value" or "timestamp" or "step");

    private static bool IsString(JsonNode? n) => n?.GetValueKind() == JsonValueKind.String;

    private static bool IsInteger(JsonNode? n) =>
        n?.GetValueKind() == JsonValueKind.Number && n.AsValue().TryGetValue<long>(out _) && !n.ToJsonString().Contains('.');
}
