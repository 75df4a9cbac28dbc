using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.ML.Lora;

namespace Pipeline.ML.Models;

/// <summary>
/// The identity of a model checkpoint: "sha256:" + the SHA-256 of a manifest that lists, one per line in a fixed order,
/// "ROLE/FILE SHA256-OF-ITS-BYTES" for the files that decide what the model computes — config.json, then the weights
/// (model.safetensors, or the index and every shard it names, in ordinal order), then an adapter's
/// adapter_config.json and adapter_model.safetensors. Other files in the directories (tokenizer, optimizer state,
/// trainer_state.json, metrics) do not count, so a training checkpoint and the model saved from it hash alike.
/// </summary>
public static class ModelHash
{
    public static string Compute(string modelDir, string? adapterDir = null)
    {
        var manifest = new StringBuilder();
        foreach (var (role, path) in Files(modelDir, adapterDir))
        {
            manifest.Append(role).Append('/').Append(Path.GetFileName(path)).Append(' ').Append(OfFile(path)).Append('\n');
        }
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToString())));
    }

    /// <summary>The hex SHA-256 of a file's bytes, streamed.</summary>
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static IEnumerable<(string Role, string Path)> Files(string modelDir, string? adapterDir)
    {
        yield return ("model", Existing(Path.Combine(modelDir, "config.json")));
        var single = Path.Combine(modelDir, LlamaCheckpoint.WeightsFile);
        if (File.Exists(single))
        {
            yield return ("model", single);
        }
        else
        {
            var index = Existing(Path.Combine(modelDir, LlamaCheckpoint.IndexFile));
            yield return ("model", index);
            var shards = (ModelFiles.ReadJsonObject(index)["weight_map"] as JsonObject)?
                .Select(p => p.Value?.GetValue<string>() ?? "").Distinct().Order(StringComparer.Ordinal)
                ?? throw new ModelFormatException($"{index}: expected an object with a 'weight_map' object");
            foreach (var shard in shards)
            {
                yield return ("model", Existing(Path.Combine(modelDir, Path.GetFileName(shard))));
            }
        }
        if (adapterDir is not null)
        {
            yield return ("adapter", Existing(Path.Combine(adapterDir, PeftAdapterFormat.ConfigFile)));
            yield return ("adapter", Existing(Path.Combine(adapterDir, PeftAdapterFormat.WeightsFile)));
        }
    }

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new ModelFormatException($"{path}: missing (the model hash covers it)");
}
