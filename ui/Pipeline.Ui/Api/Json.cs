using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Ui.Api;

/// <summary>Payloads in the store are JSON strings; the API hands them on as JSON values, not as escaped strings.</summary>
internal static class Json
{
    public static JsonNode? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);   // not JSON after all: shown as text
        }
    }
}
