using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.ML.IO;

namespace Pipeline.ML.Models;

/// <summary>
/// The file handling every model, adapter and checkpoint reader shares: JSON objects and safetensors files opened
/// with their problems reported as <see cref="ModelFormatException"/>s naming the file, and JSON written atomically.
/// </summary>
internal static class ModelFiles
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject ReadJsonObject(string path)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new ModelFormatException($"{path}: expected a JSON object");
            // A JsonObject reads its properties on first use, and reports a key given twice then, as an
            // ArgumentException: touch it here so that surfaces as a format error of this file.
            _ = root.Count;
            return root;
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path}: not valid JSON ({e.Message})", e);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{path}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new ModelFormatException($"{path}: cannot be read ({e.Message})", e);
        }
    }

    /// <summary>Writes indented JSON to a temporary file and renames it over <paramref name="path"/>.</summary>
    public static void WriteJson(string path, JsonNode node)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, node.ToJsonString(Indented) + "\n");
        File.Move(tmp, path, overwrite: true);
    }

    public static SafeTensorsFile OpenSafeTensors(string path)
    {
        try
        {
            return SafeTensorsFile.Open(path);
        }
        catch (SafeTensorsFormatException e)
        {
            throw new ModelFormatException(e.Message, e);
        }
        catch (IOException e)
        {
            throw new ModelFormatException($"{path}: cannot be read ({e.Message})", e);
        }
    }
}
