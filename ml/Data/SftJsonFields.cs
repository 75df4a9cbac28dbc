using System.Text.Json;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>Typed reads of a dataset record's fields; anything missing or of the wrong type is an error naming the
/// line, the field's path (<c>messages[2].content</c>) and what was expected against what was found.</summary>
internal static class SftJsonFields
{
    private static readonly string[] Roles = ["system", "user", "assistant"];

    public static string String(JsonElement value, string path, DataLine line) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw line.FieldError(path, $"expected a string, found {Kind(value)}");

    public static string NonEmptyString(JsonElement value, string path, DataLine line, string why)
    {
        var text = String(value, path, line);
        return text.Length > 0 ? text : throw line.FieldError(path, $"is empty ({why})");
    }

    /// <summary>A non-empty list of messages with known roles, string contents, and no chat markers in them.</summary>
    public static ChatMessage[] Messages(JsonElement value, string path, DataLine line)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw line.FieldError(path, $"expected an array of messages, found {Kind(value)}");
        }

        var messages = new List<ChatMessage>();
        foreach (var item in value.EnumerateArray())
        {
            messages.Add(Message(item, $"{path}[{messages.Count}]", line));
        }

        return messages.Count > 0 ? messages.ToArray() : throw line.FieldError(path, "is empty (expected at least one message)");
    }

    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static ChatMessage Message(JsonElement item, string path, DataLine line)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw line.FieldError(path, $"expected a message object {{\"role\", \"content\"}}, found {Kind(item)}");
        }

        if (!item.TryGetProperty("role", out var roleValue))
        {
            throw line.FieldError($"{path}.role", "is missing");
        }

        var role = String(roleValue, $"{path}.role", line);
        if (!Roles.Contains(role))
        {
            throw line.FieldError($"{path}.role", $"expected one of \"system\", \"user\", \"assistant\", found \"{role}\"");
        }

        if (!item.TryGetProperty("content", out var contentValue))
        {
            throw line.FieldError($"{path}.content", "is missing");
        }

        // Content parts (multimodal lists) and tool calls are not supported: a text model has nothing to read there.
        var content = String(contentValue, $"{path}.content", line);
        if (role == "assistant" && content.Length == 0)
        {
            throw line.FieldError($"{path}.content", "is empty (an assistant turn is what the model learns to write)");
        }

        // ChatTemplate rejects these too, but here the error can name the line: a marker would forge a turn boundary.
        foreach (var marker in new[] { ChatTemplate.ImStart, ChatTemplate.ImEnd })
        {
            if (content.Contains(marker, StringComparison.Ordinal))
            {
                throw line.FieldError($"{path}.content", $"contains the chat marker {marker}, which would forge a turn boundary");
            }
        }

        return new ChatMessage(role, content);
    }
}
