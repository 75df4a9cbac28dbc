using System.Globalization;
using System.Text.Json;
using Pipeline.Activities.Support;
using Pipeline.ML.Tokenization;

namespace Pipeline.Activities.Training;

/// <summary>Reads the conversational rows (<c>{"id", "messages": [{"role", "content"}, …]}</c>) of an SFT file as
/// messages, for the anchor pairs. Rows in another format (prompt/completion, text) have no assistant turn to anchor and
/// are skipped; a line that is not JSON, or a message without a role or content, is bad input naming FILE:LINE.</summary>
internal static class SftConversations
{
    public static IReadOnlyList<SftConversation> Load(string path)
    {
        var rows = new List<SftConversation>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var at = $"{Path.GetFileName(path)}:{number}";
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (Read(doc.RootElement, at, number) is { } row) rows.Add(row);
            }
            catch (JsonException e)
            {
                throw Failures.InvalidInput($"{at}: not valid JSON ({e.Message.Split(" LineNumber:")[0]})", e);
            }
        }
        return rows;
    }

    private static SftConversation? Read(JsonElement root, string at, int number)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messages", out var messages)) return null;
        if (messages.ValueKind != JsonValueKind.Array) throw Failures.InvalidInput($"{at}: \"messages\" must be an array of {{role, content}}");
        var list = new List<ChatMessage>();
        var i = 0;
        foreach (var m in messages.EnumerateArray())
        {
            string? role = null, content = null;
            if (m.ValueKind == JsonValueKind.Object)
            {
                role = m.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                content = m.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            }
            if (role is null || content is null) throw Failures.InvalidInput($"{at}: messages[{i}] must have string \"role\" and \"content\"");
            list.Add(new ChatMessage(role, content));
            i++;
        }
        var id = root.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String
            ? idValue.GetString()! : $"line-{number.ToString(CultureInfo.InvariantCulture)}";
        return new SftConversation(id, list);
    }
}
