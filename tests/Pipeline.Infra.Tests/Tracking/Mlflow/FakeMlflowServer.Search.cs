using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Infra.Tests.Tracking.Mlflow;

// The search endpoints, paged as MLflow pages them (an opaque next_page_token), and the run view MLflow answers with.
internal sealed partial class FakeMlflowServer
{
    // The one filter shape each search needs: a tag (key in backticks) or the model name equal to a quoted literal.
    private static readonly Regex TagFilter = new(@"^tags\.`([^`]+)` = '((?:[^'\\]|\\.)*)'$");
    private static readonly Regex NameFilter = new(@"^name = '((?:[^'\\]|\\.)*)'$");

    /// <summary>The most items one search page holds, whatever max_results asks; small values force paging.</summary>
    public int SearchPageSize { get; set; } = 1000;

    private JsonObject SearchRuns(JsonObject b)
    {
        var experiments = (b["experiment_ids"] as JsonArray ?? []).Select(e => e!.GetValue<string>()).ToHashSet();
        var filter = b["filter"]?.GetValue<string>() ?? "";
        var match = TagFilter.Match(filter);
        if (!match.Success)
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", 400, $"Invalid filter '{filter}' (the fake knows tags.`key` = 'value' only).");
        }

        var (key, value) = (match.Groups[1].Value, Unescape(match.Groups[2].Value));
        var runs = _runs.Values
            .Where(r => experiments.Contains(S(r["info"]!, "experiment_id")))
            .Where(r => r["data"]!["tags"]!.AsArray().Any(t => S(t!, "key") == key && S(t!, "value") == value))
            .OrderBy(r => r["info"]!["start_time"]!.GetValue<long>())
            .Select(r => (JsonNode)RunView(r))
            .ToList();
        return Page("runs", runs, b["max_results"]?.GetValue<int>(), b["page_token"]?.GetValue<string>());
    }

    private JsonObject SearchVersions(NameValueCollection q)
    {
        var match = NameFilter.Match(q["filter"] ?? "");
        if (!match.Success)
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", 400, $"Invalid filter '{q["filter"]}' (the fake knows name = 'x' only).");
        }

        var versions = _versions.GetValueOrDefault(Unescape(match.Groups[1].Value)) ?? [];
        return Page("model_versions", [.. versions.Select(v => (JsonNode)v.DeepClone())], q);
    }

    private JsonObject Page(string field, IEnumerable<JsonNode> items, NameValueCollection q) =>
        Page(field, [.. items], q["max_results"] is { } max ? int.Parse(max, CultureInfo.InvariantCulture) : null, q["page_token"]);

    private JsonObject Page(string field, List<JsonNode> items, int? maxResults, string? pageToken)
    {
        var size = Math.Min(maxResults ?? SearchPageSize, SearchPageSize);
        var offset = int.Parse(pageToken ?? "0", CultureInfo.InvariantCulture);
        var page = new JsonObject { [field] = new JsonArray([.. items.Skip(offset).Take(size)]) };
        if (offset + size < items.Count)
        {
            page["next_page_token"] = (offset + size).ToString(CultureInfo.InvariantCulture);
        }

        return page;
    }

    /// <summary>A run as MLflow answers it: data.metrics holds each key's latest point (step, then timestamp, then value).</summary>
    private static JsonObject RunView(JsonObject run)
    {
        var view = run.DeepClone().AsObject();
        var latest = view["data"]!["metrics"]!.AsArray()
            .GroupBy(m => S(m!, "key"))
            .Select(g => g.OrderBy(m => m!["step"]?.GetValue<long>() ?? 0).ThenBy(m => m!["timestamp"]!.GetValue<long>())
                .ThenBy(m => m!["value"]!.GetValue<double>()).Last()!.DeepClone());
        view["data"]!["metrics"] = new JsonArray([.. latest]);
        return view;
    }

    private static string Unescape(string literal) => Regex.Replace(literal, @"\\(.)", "$1");
}
