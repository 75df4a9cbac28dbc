using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Serving.Http;

/// <summary>The OpenAI wire format's JSON: snake_case names, nulls left out.</summary>
public static class ServingJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
