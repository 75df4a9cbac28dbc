using System.Text.Json;

namespace Pipeline.Serving.Simulation;

/// <summary>One demo-domain prompt row: the user's message and the columns the verifier reads (answer, behavior, task).</summary>
internal sealed record SimulatedPrompt(string Id, string User, IReadOnlyDictionary<string, string> Columns)
{
    public static IReadOnlyList<SimulatedPrompt> Load(string datasetDir)
    {
        var path = Path.Combine(datasetDir, "eval", "in_domain.jsonl");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no eval/in_domain.jsonl in the dataset version folder", path);
        }
        var rows = File.ReadLines(path).Where(l => l.Trim().Length > 0).Select((line, i) => Parse(line, $"{path}:{i + 1}")).ToList();
        return rows.Count > 0 ? rows : throw new InvalidDataException($"{path}: no prompts");
    }

    private static SimulatedPrompt Parse(string line, string where)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var user = root.TryGetProperty("prompt", out var prompt) && prompt.ValueKind == JsonValueKind.Array
            ? prompt.EnumerateArray().LastOrDefault(m => m.GetProperty("role").GetString() == "user")
            : default;
        if (user.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: expected \"prompt\": [{{\"role\": \"user\", \"content\": …}}]");
        }
        var columns = root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String && p.Name is not ("id" or "reference"))
            .ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var id = root.TryGetProperty("id", out var idValue) ? idValue.GetString() ?? where : where;
        return new SimulatedPrompt(id, user.GetProperty("content").GetString() ?? "", columns);
    }
}
