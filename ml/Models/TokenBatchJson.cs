using System.Text.Json;
using Pipeline.ML.IO;

namespace Pipeline.ML.Models;

/// <summary>
/// Reads a batch file: {"input_ids": [[…], …], "labels": [[…], …], "position_ids": [[…], …]?} with −100 labels
/// ignored — the tensors HF's model(**batch) takes, as JSON.
/// </summary>
public static class TokenBatchJson
{
    public static TokenBatch Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new DataFormatException($"{path}: expected a JSON object with input_ids and labels");
            }
            var ids = Rows(doc.RootElement, "input_ids", path) ?? throw new DataFormatException($"{path}: 'input_ids' is missing");
            var labels = Rows(doc.RootElement, "labels", path) ?? ids;
            var positions = Rows(doc.RootElement, "position_ids", path);
            return TokenBatch.Create(ids, labels, positions);
        }
        catch (JsonException e)
        {
            throw new DataFormatException($"{path}: not valid JSON ({e.Message})", e);
        }
        catch (IOException e)
        {
            throw new DataFormatException($"{path}: cannot be read ({e.Message})", e);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException($"{path}: {e.Message}", e);
        }
    }

    private static List<int[]>? Rows(JsonElement root, string field, string path)
    {
        if (!root.TryGetProperty(field, out var rows) || rows.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (rows.ValueKind != JsonValueKind.Array)
        {
            throw new DataFormatException($"{path}: '{field}' must be a list of lists of integers");
        }
        var result = new List<int[]>();
        var r = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
            {
                throw new DataFormatException($"{path}: {field}[{r}] must be a list of integers");
            }
            var values = new List<int>();
            var i = 0;
            foreach (var v in row.EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var x))
                {
                    throw new DataFormatException($"{path}: {field}[{r}][{i}] must be an integer, got {v.GetRawText()}");
                }
                values.Add(x);
                i++;
            }
            result.Add(values.ToArray());
            r++;
        }
        return result;
    }
}
