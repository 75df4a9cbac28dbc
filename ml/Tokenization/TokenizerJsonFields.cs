using System.Text.Json;

namespace Pipeline.ML.Tokenization;

/// <summary>Typed reads of tokenizer.json fields; every failure names the file and the field's path.</summary>
internal sealed class TokenizerJsonFields(string source)
{
    public TokenizerFormatException Error(string field, string problem) =>
        new($"{source}: field '{field}': {problem}");

    public JsonElement Object(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw Error(path, "is missing");
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Error(path, $"expected an object, found {Kind(value)}");
    }

    /// <summary>Absent or null reads as null.</summary>
    public JsonElement? OptionalObject(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Error(path, $"expected an object or null, found {Kind(value)}");
    }

    public JsonElement Array(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw Error(path, "is missing");
        }

        return value.ValueKind == JsonValueKind.Array ? value : throw Error(path, $"expected an array, found {Kind(value)}");
    }

    public string String(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw Error(path, "is missing");
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(path, $"expected a string, found {Kind(value)}");
    }

    /// <summary>Absent or null reads as null.</summary>
    public string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(path, $"expected a string or null, found {Kind(value)}");
    }

    public bool Bool(JsonElement parent, string name, string path, bool defaultValue)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(path, $"expected true or false, found {Kind(value)}"),
        };
    }

    public int Id(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id) && id >= 0
            ? id
            : throw Error(path, $"expected a non-negative integer id, found {Describe(value)}");

    /// <summary>The field must be absent or null: a feature this tokenizer does not implement.</summary>
    public void Null(JsonElement parent, string name, string path)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            throw Error(path, $"expected null (not supported), found {Describe(value)}");
        }
    }

    public static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();

    public static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "…";
    }
}
