using System.Text.Json;

namespace Pipeline.Eval.Running;

/// <summary>Held-out text for perplexity: a <c>.txt</c> file (one text per non-empty line) or JSONL rows
/// <c>{"id": …, "text": …}</c> (id optional: "line-N").</summary>
internal static class TextRows
{
    /// <param name="problems">when given, a bad row is recorded here and the next one read (dataset validation);
    /// otherwise the first bad row throws.</param>
    public static List<(string Id, string Text, int Line)> Read(string path, List<string>? problems = null)
    {
        var rows = new List<(string, string, int)>();
        var lineNo = 0;
        var jsonl = !path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase);
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            try
            {
                rows.Add(jsonl ? Parse(line, path, lineNo) : ($"line-{lineNo}", line, lineNo));
            }
            catch (EvalFormatException e) when (problems is not null)
            {
                problems.Add(e.Message);
            }
        }
        return rows;
    }

    private static (string, string, int) Parse(string line, string path, int lineNo)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EvalFormatException($"{path}:{lineNo}: expected a JSON object with a \"text\" field");
            }
            var text = doc.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String && t.GetString()!.Length > 0
                ? t.GetString()!
                : throw new EvalFormatException($"{path}:{lineNo}: field 'text': expected a non-empty string");
            var id = doc.RootElement.TryGetProperty("id", out var i) ? (i.ValueKind == JsonValueKind.String ? i.GetString()! : i.GetRawText()) : $"line-{lineNo}";
            return (id, text, lineNo);
        }
        catch (JsonException e)
        {
            throw new EvalFormatException($"{path}:{lineNo}: not valid JSON ({e.Message})", e);
        }
    }
}
