using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.ML.IO;

namespace Pipeline.Eval.Domain;

/// <summary>manifest.json's layout: written with a fixed key order, read back with errors that name the field.</summary>
internal static class ManifestJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true, IndentSize = 2, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Write(DatasetManifest m)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("dataset", m.Dataset);
            w.WriteString("version", m.Version);
            w.WriteNumber("seed", m.Seed);
            w.WriteString("generator", m.Generator);
            w.WriteString("description", m.Description);
            w.WriteStartArray("files");
            foreach (var f in m.Files)
            {
                w.WriteStartObject();
                w.WriteString("path", f.Path);
                w.WriteString("role", Name(f.Role));
                w.WriteString("format", Name(f.Format));
                w.WriteNumber("rows", f.Rows);
                w.WriteNumber("bytes", f.Bytes);
                w.WriteString("sha256", f.Sha256);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("stats");
            foreach (var (name, value) in m.Stats.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                w.WriteNumber(name, value);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    public static DatasetManifest Read(byte[] json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new DataFormatException($"{source}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = Object(document.RootElement, "(root)", source);
            var files = Property(root, "files", JsonValueKind.Array, source).EnumerateArray().Select((f, i) => ReadFile(f, $"files[{i}]", source));
            var stats = Object(Property(root, "stats", JsonValueKind.Object, source), "stats", source).EnumerateObject()
                .ToDictionary(p => p.Name, p => Long(p.Value, $"stats.{p.Name}", source), StringComparer.Ordinal);
            return new DatasetManifest(
                String(root, "dataset", source), String(root, "version", source), Long(Property(root, "seed", JsonValueKind.Number, source), "seed", source),
                String(root, "generator", source), String(root, "description", source), [.. files], stats);
        }
    }

    private static ManifestFile ReadFile(JsonElement e, string at, string source)
    {
        Object(e, at, source);
        return new ManifestFile(
            String(e, "path", source, at), Enum<DatasetFileRole>(e, "role", source, at), Enum<DatasetFileFormat>(e, "format", source, at),
            Long(Property(e, "rows", JsonValueKind.Number, source, at), $"{at}.rows", source),
            Long(Property(e, "bytes", JsonValueKind.Number, source, at), $"{at}.bytes", source), String(e, "sha256", source, at));
    }

    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static T Enum<T>(JsonElement e, string name, string source, string at)
        where T : struct, Enum
    {
        var text = String(e, name, source, at);
        var values = System.Enum.GetValues<T>();
        return values.Cast<T?>().FirstOrDefault(v => Name(v!.Value) == text)
            ?? throw Error(source, $"{at}.{name}", $"expected one of {string.Join(", ", values.Select(v => $"\"{Name(v)}\""))}, found \"{text}\"");
    }

    private static JsonElement Object(JsonElement e, string field, string source) =>
        e.ValueKind == JsonValueKind.Object ? e : throw Error(source, field, $"expected an object, found {e.ValueKind.ToString().ToLowerInvariant()}");

    private static JsonElement Property(JsonElement e, string name, JsonValueKind kind, string source, string? at = null)
    {
        var field = at is null ? name : $"{at}.{name}";
        if (!e.TryGetProperty(name, out var value))
        {
            throw Error(source, field, "is missing");
        }
        return value.ValueKind == kind
            ? value
            : throw Error(source, field, $"expected {kind.ToString().ToLowerInvariant()}, found {value.ValueKind.ToString().ToLowerInvariant()}");
    }

    private static string String(JsonElement e, string name, string source, string? at = null) =>
        Property(e, name, JsonValueKind.String, source, at).GetString()!;

    private static long Long(JsonElement e, string field, string source) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var value) ? value : throw Error(source, field, $"expected an integer, found {e.GetRawText()}");

    private static DataFormatException Error(string source, string field, string problem) => new($"{source}: field '{field}' {problem}");
}
