using System.Text.Json;
using Pipeline.ML.Data;
using Pipeline.ML.IO;
using Pipeline.ML.Models;

namespace Pipeline.ML.Preferences;

/// <summary>
/// Reads human labels from JSONL, one judgment per line, referring to a candidates file's prompt ids and completion
/// indices: <c>{"prompt_id": "p1", "completion": 2, "score": 1}</c> scores one completion, and
/// <c>{"prompt_id": "p1", "chosen": 0, "rejected": 3}</c> prefers one completion to another. Other fields (an
/// annotator, a note) are allowed and ignored. Blank lines are skipped; a bad line is a
/// <see cref="DataFormatException"/> "FILE:LINE: field '…': …". Whether the ids and indices exist is checked when the
/// labels meet the candidates (<see cref="HumanLabeler"/>), with the same FILE:LINE.
/// </summary>
public static class HumanLabelFile
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    public static IReadOnlyList<HumanLabel> Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var labels = new List<HumanLabel>();
        var number = 0;
        foreach (var text in Utf8Lines.Read(stream, path))
        {
            var line = new DataLine(path, ++number);
            if (!string.IsNullOrWhiteSpace(text))
            {
                labels.Add(Read(text, line));
            }
        }
        return labels;
    }

    /// <summary>A labeler over the file's labels, with the file's name and sha256 as its provenance.</summary>
    public static HumanLabeler Labeler(string path) => new(Load(path), new Dictionary<string, string>
    {
        ["kind"] = "human",
        ["labels_file"] = Path.GetFileName(path),
        ["labels_sha256"] = "sha256:" + ModelHash.OfFile(path),
    });

    private static HumanLabel Read(string json, DataLine line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Strict);
        }
        catch (JsonException e)
        {
            throw line.Error($"not valid JSON: {e.Message.Split(" LineNumber:")[0]}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw line.Error($"expected a JSON object per line, found {SftJsonFields.Kind(root)}");
            }
            if (!root.TryGetProperty("prompt_id", out var id))
            {
                throw line.FieldError("prompt_id", "is missing (a label names the prompt it judges)");
            }
            var promptId = SftJsonFields.NonEmptyString(id, "prompt_id", line, "a label names the prompt it judges");
            var source = $"{line.Source}:{line.Number}";
            bool scored = root.TryGetProperty("completion", out _), paired = root.TryGetProperty("chosen", out _);
            if (scored == paired)
            {
                throw line.Error("expected either {\"completion\", \"score\"} (a score) or {\"chosen\", \"rejected\"} (a preference), " +
                    (scored ? "found both" : "found neither"));
            }
            if (scored)
            {
                return HumanLabel.ForScore(promptId, Index(root, "completion", line), Score(root, line), source);
            }
            var (chosen, rejected) = (Index(root, "chosen", line), Index(root, "rejected", line));
            return chosen != rejected
                ? HumanLabel.ForPair(promptId, chosen, rejected, source)
                : throw line.FieldError("rejected", $"is {rejected}, the same completion as \"chosen\" (a preference needs two)");
        }
    }

    private static int Index(JsonElement root, string field, DataLine line)
    {
        if (!root.TryGetProperty(field, out var value))
        {
            throw line.FieldError(field, "is missing");
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var index) && index >= 0
            ? index
            : throw line.FieldError(field, $"expected a completion index (an integer >= 0), found {Describe(value)}");
    }

    private static double Score(JsonElement root, DataLine line)
    {
        if (!root.TryGetProperty("score", out var value))
        {
            throw line.FieldError("score", "is missing (a \"completion\" label gives its score)");
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var score) && double.IsFinite(score)
            ? score
            : throw line.FieldError("score", $"expected a finite number, found {Describe(value)}");
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetRawText() : SftJsonFields.Kind(value);
}
