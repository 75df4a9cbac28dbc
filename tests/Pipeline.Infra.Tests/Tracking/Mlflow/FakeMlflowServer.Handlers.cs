using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Tracking.Mlflow;

// MLflow's behaviour for the endpoints the client uses, on in-memory state.
internal sealed partial class FakeMlflowServer
{
    public const int HistoryPageSize = 1000;
    private const long Now = 1_700_000_000_000;
    private readonly Dictionary<string, string> _experiments = [];
    private readonly Dictionary<string, JsonObject> _runs = [];
    private readonly Dictionary<string, List<JsonObject>> _versions = [];
    private readonly Dictionary<(string, string), string> _aliases = [];

    private JsonObject Handle(string method, string endpoint, JsonObject b, NameValueCollection q) => (method, endpoint) switch
    {
        ("POST", "experiments/create") => CreateExperiment(S(b, "name")),
        ("GET", "experiments/get-by-name") => new()
        {
            ["experiment"] = new JsonObject
            {
                ["experiment_id"] = _experiments.GetValueOrDefault(q["experiment_name"]!) ?? throw Missing("experiment"),
                ["name"] = q["experiment_name"],
                ["lifecycle_stage"] = "active",
            },
        },
        ("POST", "runs/create") => CreateRun(b),
        ("GET", "runs/get") => new() { ["run"] = RunView(Run(q["run_id"]!)) },
        ("POST", "runs/search") => SearchRuns(b),
        ("GET", "registered-models/search") => Page("registered_models", [.. _versions.Keys.Order(StringComparer.Ordinal).Select(Model)], q),
        ("GET", "model-versions/search") => SearchVersions(q),
        ("POST", "runs/update") => UpdateRun(b),
        ("POST", "runs/log-batch") => LogBatch(b),
        ("POST", "runs/set-tag") => Upsert(Run(S(b, "run_id"))["data"]!["tags"]!.AsArray(), S(b, "key"), S(b, "value")),
        ("GET", "metrics/get-history") => History(q),
        ("POST", "registered-models/create") => _versions.TryAdd(S(b, "name"), [])
            ? new() { ["registered_model"] = Model(S(b, "name")) }
            : throw new MlflowError("RESOURCE_ALREADY_EXISTS", 400, $"Registered Model (name={S(b, "name")}) already exists."),
        ("GET", "registered-models/get") => GetModel(q["name"]!),
        ("POST", "model-versions/create") => CreateVersion(b),
        ("POST", "registered-models/alias") => SetAlias(S(b, "name"), S(b, "alias"), S(b, "version")),
        ("DELETE", "registered-models/alias") => DeleteAlias(S(b, "name"), S(b, "alias")),
        ("GET", "registered-models/alias") => new()
        {
            ["model_version"] = _aliases.TryGetValue((q["name"]!, q["alias"]!), out var v)
                ? Versions(q["name"]!)[int.Parse(v, CultureInfo.InvariantCulture) - 1].DeepClone()
                : throw Missing($"alias {q["alias"]}"),
        },
        _ => throw new MlflowError("ENDPOINT_NOT_FOUND", 404, $"{method} {endpoint}"),
    };

    private JsonObject CreateExperiment(string name)
    {
        if (_experiments.ContainsKey(name))
        {
            throw new MlflowError("RESOURCE_ALREADY_EXISTS", 400, $"Experiment(name={name}) already exists.");
        }

        var id = (_experiments.Count + 1).ToString(CultureInfo.InvariantCulture);
        _experiments[name] = id;
        return new() { ["experiment_id"] = id };
    }

    private JsonObject CreateRun(JsonObject b)
    {
        if (!_experiments.ContainsValue(S(b, "experiment_id")))
        {
            throw Missing("experiment");
        }

        var id = Guid.NewGuid().ToString("N");
        _runs[id] = new JsonObject
        {
            ["info"] = new JsonObject
            {
                ["run_id"] = id, ["experiment_id"] = S(b, "experiment_id"), ["run_name"] = b["run_name"]?.GetValue<string>() ?? "",
                ["status"] = "RUNNING", ["start_time"] = b["start_time"]?.GetValue<long>() ?? Now, ["lifecycle_stage"] = "active",
            },
            ["data"] = new JsonObject { ["metrics"] = new JsonArray(), ["params"] = new JsonArray(), ["tags"] = b["tags"]?.DeepClone() ?? new JsonArray() },
        };
        return new() { ["run"] = RunView(_runs[id]) };
    }

    private JsonObject UpdateRun(JsonObject b)
    {
        var info = Run(S(b, "run_id"))["info"]!.AsObject();
        info["status"] = b["status"]?.GetValue<string>() ?? info["status"]!.GetValue<string>();
        if (b["end_time"] is { } end)
        {
            info["end_time"] = end.GetValue<long>();
        }

        return new() { ["run_info"] = info.DeepClone() };
    }

    private JsonObject LogBatch(JsonObject b)
    {
        var run = Run(S(b, "run_id"));
        var (metrics, parameters, tags) = (Arr(b, "metrics"), Arr(b, "params"), Arr(b, "tags"));
        if (metrics.Count > 1000 || parameters.Count > 100 || tags.Count > 100 || metrics.Count + parameters.Count + tags.Count > 1000)
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", 400,
                $"A batch logging request can contain at most 1000 metrics, 100 params, 100 tags and 1000 in all; got {metrics.Count}, {parameters.Count}, {tags.Count}.");
        }

        var stored = run["data"]!["params"]!.AsArray();
        foreach (var p in parameters)
        {
            var old = stored.FirstOrDefault(s => S(s!, "key") == S(p!, "key"));
            if (old is not null && S(old, "value") != S(p!, "value"))
            {
                throw new MlflowError("INVALID_PARAMETER_VALUE", 400,
                    $"Changing param values is not allowed. Param '{S(p!, "key")}' of run '{S(b, "run_id")}' is '{S(old, "value")}'.");
            }

            if (old is null)
            {
                stored.Add(p!.DeepClone());
            }
        }

        foreach (var t in tags)
        {
            Upsert(run["data"]!["tags"]!.AsArray(), S(t!, "key"), S(t!, "value"));
        }

        foreach (var m in metrics)
        {
            run["data"]!["metrics"]!.AsArray().Add(m!.DeepClone());
        }

        return [];
    }

    private JsonObject History(NameValueCollection q)
    {
        var all = Run(q["run_id"]!)["data"]!["metrics"]!.AsArray().Where(m => S(m!, "key") == q["metric_key"]).ToList();
        var offset = int.Parse(q["page_token"] ?? "0", CultureInfo.InvariantCulture);
        var page = new JsonObject { ["metrics"] = new JsonArray([.. all.Skip(offset).Take(HistoryPageSize).Select(m => m!.DeepClone())]) };
        if (offset + HistoryPageSize < all.Count)
        {
            page["next_page_token"] = (offset + HistoryPageSize).ToString(CultureInfo.InvariantCulture);
        }

        return page;
    }

    private JsonObject CreateVersion(JsonObject b)
    {
        var versions = Versions(S(b, "name"));
        var version = new JsonObject
        {
            ["name"] = S(b, "name"), ["version"] = (versions.Count + 1).ToString(CultureInfo.InvariantCulture), ["source"] = S(b, "source"),
            ["run_id"] = b["run_id"]?.GetValue<string>() ?? "", ["creation_timestamp"] = Now, ["status"] = "READY", ["current_stage"] = "None",
        };
        versions.Add(version);
        return new() { ["model_version"] = version.DeepClone() };
    }

    private JsonObject SetAlias(string model, string alias, string version)
    {
        if (int.Parse(version, CultureInfo.InvariantCulture) > Versions(model).Count)
        {
            throw Missing($"model version {version}");
        }

        _aliases[(model, alias)] = version;
        return [];
    }

    private JsonObject GetModel(string name)
    {
        Versions(name);
        return new() { ["registered_model"] = Model(name) };
    }

    private JsonObject DeleteAlias(string model, string alias)
    {
        _aliases.Remove((model, alias));
        return [];
    }

    private static JsonObject Upsert(JsonArray tags, string key, string value)
    {
        if (tags.FirstOrDefault(t => S(t!, "key") == key) is JsonObject existing)
        {
            existing["value"] = value;
        }
        else
        {
            tags.Add(new JsonObject { ["key"] = key, ["value"] = value });
        }

        return [];
    }

    private JsonObject Model(string name) => new()
    {
        ["name"] = name, ["creation_timestamp"] = Now, ["last_updated_timestamp"] = Now,
        ["aliases"] = new JsonArray([.. _aliases.Where(a => a.Key.Item1 == name)
            .Select(a => (JsonNode)new JsonObject { ["alias"] = a.Key.Item2, ["version"] = a.Value })]),
    };

    private JsonObject Run(string id) => _runs.GetValueOrDefault(id) ?? throw Missing($"run '{id}'");

    private List<JsonObject> Versions(string model) => _versions.GetValueOrDefault(model) ?? throw Missing($"registered model '{model}'");

    private static MlflowError Missing(string what) => new("RESOURCE_DOES_NOT_EXIST", 404, $"No {what}.");

    private static string S(JsonNode node, string field) => node[field]!.GetValue<string>();

    private static JsonArray Arr(JsonObject b, string field) => b[field] as JsonArray ?? [];
}
