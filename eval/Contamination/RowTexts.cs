using System.Text.Json;

namespace Pipeline.Eval.Contamination;

/// <summary>
/// Which fields of a JSONL row are checked. Training rows give every text they hold — <c>messages</c> (every
/// content), <c>prompt</c>, <c>completion</c>, <c>chosen</c>, <c>rejected</c> (strings or message lists) and
/// <c>text</c> — since a leak anywhere in training counts. Eval rows give only the question a model is asked: their
/// <c>prompt</c> (string, or every message of the list), else the non-assistant turns of <c>messages</c>, else
/// <c>text</c>; never the expected answer or reference, which in a template-generated domain is shared by many
/// questions ("77") and says nothing about a leak.
/// </summary>
internal static class RowTexts
{
    public static readonly string[] TrainFields = ["messages", "prompt", "completion", "chosen", "rejected", "text"];

    public static readonly string[] EvalFields = ["prompt", "messages", "text"];

    public static IReadOnlyList<string> Train(JsonElement row, string path, int line)
    {
        var texts = new List<string>();
        var found = false;
        foreach (var field in TrainFields)
        {
            if (row.TryGetProperty(field, out var value))
            {
                found = true;
                Collect(value, field, includeAssistant: true, texts, path, line);
            }
        }
        return found ? texts : throw NoText(row, TrainFields, path, line);
    }

    public static IReadOnlyList<string> Eval(JsonElement row, string path, int line)
    {
        foreach (var field in EvalFields)
        {
            if (row.TryGetProperty(field, out var value))
            {
                var texts = new List<string>();
                Collect(value, field, includeAssistant: field != "messages", texts, path, line);
                return texts;
            }
        }
        throw NoText(row, EvalFields, path, line);
    }

    private static void Collect(JsonElement value, string field, bool includeAssistant, List<string> texts, string path, int line)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return;
            case JsonValueKind.String:
                texts.Add(value.GetString()!);
                return;
            case JsonValueKind.Array when field != "text":
                var i = 0;
                foreach (var message in value.EnumerateArray())
                {
                    Message(message, $"{field}[{i++}]", includeAssistant, texts, path, line);
                }
                return;
            default:
                var expected = field == "text" ? "a string" : "a string or a list of messages";
                throw new EvalFormatException($"{path}:{line}: {field}: expected {expected}, found {Kind(value)}");
        }
    }

    private static void Message(JsonElement message, string at, bool includeAssistant, List<string> texts, string path, int line)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content))
        {
            throw new EvalFormatException($"{path}:{line}: {at}: expected a message object with a \"content\", found {Kind(message)}");
        }
        if (!includeAssistant && message.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String && role.GetString() == "assistant")
        {
            return;
        }
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                texts.Add(content.GetString()!);
                break;
            case JsonValueKind.Null:
                break;
            default:
                throw new EvalFormatException($"{path}:{line}: {at}.content: expected a string, found {Kind(content)}");
        }
    }

    private static EvalFormatException NoText(JsonElement row, string[] fields, string path, int line)
    {
        var present = string.Join(", ", row.EnumerateObject().Select(p => $"\"{p.Name}\""));
        return new EvalFormatException(
            $"{path}:{line}: no text to check: expected one of {string.Join(", ", fields.Select(f => $"\"{f}\""))}; found {(present.Length == 0 ? "no fields" : present)}");
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
