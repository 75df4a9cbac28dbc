using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.ML.Generation;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Preferences;

/// <summary>The JSON pieces the candidates and preference files share. Text is written without escaping '+', '&lt;' or
/// non-ASCII letters (people read these files), and every value in a fixed order, so one run writes one byte string.</summary>
internal static class PreferenceJson
{
    public static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    /// <summary>The prompt as TRL reads it: the text, or the conversation's messages.</summary>
    public static JsonNode Prompt(PromptCandidates p) => p.Messages is { } messages
        ? new JsonArray([.. messages.Select(m => (JsonNode)Message(m))])
        : JsonValue.Create(p.Prompt);

    /// <summary>A completion as TRL reads it beside <see cref="Prompt"/>: a string, or one assistant message.</summary>
    public static JsonNode Completion(PromptCandidates p, string text) => p.Messages is null
        ? JsonValue.Create(text)
        : new JsonArray(Message(new ChatMessage("assistant", text)));

    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string FinishReason(FinishReason reason) => reason switch
    {
        Generation.FinishReason.Length => "length",
        Generation.FinishReason.StopToken => "stop_token",
        Generation.FinishReason.StopSequence => "stop_sequence",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static FinishReason? ParseFinishReason(string name) => name switch
    {
        "length" => Generation.FinishReason.Length,
        "stop_token" => Generation.FinishReason.StopToken,
        "stop_sequence" => Generation.FinishReason.StopSequence,
        _ => null,
    };

    public static JsonObject Strings(IEnumerable<KeyValuePair<string, string>> fields) =>
        new(fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value)));

    private static JsonObject Message(ChatMessage m) => new() { ["role"] = m.Role, ["content"] = m.Content };
}
