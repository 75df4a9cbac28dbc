using System.Globalization;
using System.Text.Json;

namespace Pipeline.Eval.Contamination;

/// <summary>
/// Reads a dataset file row by row, streaming. A <c>.txt</c> file holds one text per line; any other file is JSONL,
/// one object per line (<see cref="RowTexts"/> says which fields are read). Blank lines are skipped but counted, so
/// line numbers match an editor's.
/// </summary>
internal static class DatasetRows
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    public static IEnumerable<DatasetRow> Read(string path, DatasetSide side)
    {
        if (!File.Exists(path))
        {
            throw new EvalFormatException($"{path}: file not found");
        }
        return Lines(path, side);
    }

    private static IEnumerable<DatasetRow> Lines(string path, DatasetSide side)
    {
        var plain = Path.GetExtension(path).Equals(".txt", StringComparison.OrdinalIgnoreCase);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            yield return plain ? new DatasetRow(number, Id(number), [line]) : Json(line, path, number, side);
        }
    }

    private static DatasetRow Json(string line, string path, int number, DatasetSide side)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, Strict);
        }
        catch (JsonException e)
        {
            // The parser's "LineNumber: 0 | BytePositionInLine: 9." would contradict FILE:LINE: keep the reason only.
            throw new EvalFormatException($"{path}:{number}: not valid JSON ({e.Message.Split(" LineNumber:")[0]})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new EvalFormatException($"{path}:{number}: expected a JSON object per line, found {root.ValueKind.ToString().ToLowerInvariant()}");
            }
            var texts = side == DatasetSide.Train ? RowTexts.Train(root, path, number) : RowTexts.Eval(root, path, number);
            var id = root.TryGetProperty("id", out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()
                : Id(number);
            return new DatasetRow(number, id, texts);
        }
    }

    /// <summary>A row without an "id" is known by its 1-based line number.</summary>
    private static string Id(int line) => line.ToString(CultureInfo.InvariantCulture);
}
