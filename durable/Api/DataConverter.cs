using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Durable;

/// <summary>Payloads (inputs, results, heartbeat details, signal arguments) are JSON, camelCase, as a JSON
/// array of arguments. One place defines the format so every store and client agrees.</summary>
public static class DataConverter
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string SerializeArgs(IReadOnlyList<object?> args) => JsonSerializer.Serialize(args, Options);

    public static string Serialize(object? value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Binds a JSON array of arguments to parameter types; missing trailing arguments take defaults.</summary>
    public static object?[] DeserializeArgs(string? json, IReadOnlyList<Type> types, string what)
    {
        var result = new object?[types.Count];
        if (string.IsNullOrEmpty(json)) json = "[]";
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
            throw new ArgumentException($"{what}: arguments must be a JSON array, got {doc.RootElement.ValueKind}.");
        var items = doc.RootElement.EnumerateArray().ToList();
        if (items.Count > types.Count)
            throw new ArgumentException($"{what}: takes {types.Count} argument(s), got {items.Count}.");
        for (var i = 0; i < types.Count; i++)
        {
            try
            {
                result[i] = i < items.Count ? items[i].Deserialize(types[i], Options)
                    : types[i].IsValueType ? Activator.CreateInstance(types[i]) : null;
            }
            catch (JsonException e)
            {
                throw new ArgumentException($"{what}: argument {i} is not a valid {types[i].Name}: {e.Message}", e);
            }
        }
        return result;
    }

    public static object? Deserialize(string? json, Type type)
    {
        if (type == typeof(void) || string.IsNullOrEmpty(json)) return null;
        return JsonSerializer.Deserialize(json, type, Options);
    }

    public static T? Deserialize<T>(string? json) => string.IsNullOrEmpty(json) ? default : JsonSerializer.Deserialize<T>(json, Options);
}
