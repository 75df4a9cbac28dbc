using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Eval.Results;

/// <summary>The JSON conventions of every eval artifact: snake_case names, NaN as null, nulls left out.</summary>
public static class EvalJson
{
    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    /// <summary>One object per line, for JSONL files.</summary>
    public static readonly JsonSerializerOptions Line = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        WriteIndented = indented,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
        AllowDuplicateProperties = false,
        Converters = { new NanAsNullConverter() },
    };
}
