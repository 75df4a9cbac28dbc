using System.Text.Json.Nodes;
using Pipeline.ML.Compute;
using Pipeline.ML.IO;

namespace Pipeline.ML.Models;

/// <summary>
/// HF-layout model directories: config.json plus model.safetensors (or shards listed by
/// model.safetensors.index.json). What HF transformers saves for LlamaForCausalLM loads here, and what we save
/// loads there. A checkpoint is untrusted input: every missing, unexpected or misshapen tensor is a
/// <see cref="ModelFormatException"/> naming the file and the tensor.
/// </summary>
public static class LlamaCheckpoint
{
    public const string WeightsFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    public static LlamaModel Load(string dir, ITensorOps? ops = null)
    {
        var config = LlamaConfigJson.Load(Path.Combine(dir, LlamaConfigJson.FileName));
        var model = new LlamaModel(config, ops);
        // Older HF checkpoints carry RoPE's inv_freq buffer, and a tied model may still list lm_head: both are derived,
        // not weights.
        ReadWeights(dir, model.BaseParameters, name =>
            name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal) || (name == "lm_head.weight" && config.TieWordEmbeddings));
        return model;
    }

    /// <summary>
    /// Reads the weights of the HF model directory <paramref name="dir"/> into <paramref name="parameters"/> by name.
    /// A tensor <paramref name="skip"/> accepts is passed over; any other unexpected, misshapen, duplicated or missing
    /// tensor is a <see cref="ModelFormatException"/>.
    /// </summary>
    internal static void ReadWeights(string dir, IEnumerable<Parameter> parameters, Func<string, bool> skip)
    {
        var expected = parameters.ToDictionary(p => p.Name);
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in WeightFiles(dir))
        {
            using var st = ModelFiles.OpenSafeTensors(file);
            foreach (var (name, info) in st.Tensors)
            {
                if (!expected.TryGetValue(name, out var p))
                {
                    if (skip(name))
                    {
                        continue;
                    }
                    throw new ModelFormatException($"{file}: unexpected tensor '{name}' for a LLaMA model with this config.json");
                }
                var want = p.Value.Shape.Select(d => (long)d).ToArray();
                if (!info.Shape.SequenceEqual(want))
                {
                    throw new ModelFormatException(
                        $"{file}: tensor '{name}' has shape [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", want)}] from config.json");
                }
                if (!loaded.Add(name))
                {
                    throw new ModelFormatException($"{file}: tensor '{name}' appears in more than one shard");
                }
                float[] data;
                try
                {
                    data = st.ReadFloat32(name);
                }
                catch (SafeTensorsFormatException e)
                {
                    throw new ModelFormatException($"{file}: tensor '{name}': {e.Message}", e);
                }
                data.CopyTo(p.Value.Span);
            }
        }
        var missing = expected.Keys.Where(k => !loaded.Contains(k)).ToList();
        if (missing.Count > 0)
        {
            throw new ModelFormatException(
                $"{dir}: missing {missing.Count} tensor(s) the config needs, first '{missing[0]}'");
        }
    }

    /// <summary>Writes config.json and model.safetensors (float32, HF names; no lm_head when tied), atomically per file.</summary>
    public static void Save(LlamaModel model, string dir, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (model.ActiveAdapter is { Merged: true } merged)
        {
            throw new InvalidOperationException(
                $"adapter '{merged.Name}' is merged into the base weights; unmerge it, or save a merged model deliberately with SaveMerged");
        }
        SaveWeights(model, dir, metadata);
    }

    /// <summary>Saves the base weights as they are now, merged adapter included (PEFT's merge_and_unload + save).</summary>
    public static void SaveMerged(LlamaModel model, string dir) => SaveWeights(model, dir, null);

    private static void SaveWeights(LlamaModel model, string dir, IReadOnlyDictionary<string, string>? metadata)
    {
        if (model.IsBaseQuantized)
        {
            throw new InvalidOperationException(
                "the base is NF4-quantized (QLoRA) and its float32 weights are gone: save the adapter instead");
        }
        Directory.CreateDirectory(dir);
        var writer = new SafeTensorsWriter();
        foreach (var p in model.BaseParameters)
        {
            writer.Add(p.Name, p.Value.Array, p.Value.Shape.Select(d => (long)d).ToArray());
        }
        writer.SetMetadata("format", "pt");
        foreach (var (k, v) in metadata ?? new Dictionary<string, string>())
        {
            writer.SetMetadata(k, v);
        }
        writer.WriteToFile(Path.Combine(dir, WeightsFile));
        LlamaConfigJson.Save(model.Config, Path.Combine(dir, LlamaConfigJson.FileName));
    }

    private static IEnumerable<string> WeightFiles(string dir)
    {
        var single = Path.Combine(dir, WeightsFile);
        if (File.Exists(single))
        {
            return [single];
        }
        var index = Path.Combine(dir, IndexFile);
        if (!File.Exists(index))
        {
            throw new ModelFormatException($"{dir}: neither {WeightsFile} nor {IndexFile} exists");
        }
        var map = ModelFiles.ReadJsonObject(index)["weight_map"] as JsonObject;
        if (map is null)
        {
            throw new ModelFormatException($"{index}: expected an object with a 'weight_map' object");
        }
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, node) in map)
        {
            var shard = node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : null;
            if (shard is null || shard.Contains('/') || shard.Contains('\\') || shard.StartsWith('.'))
            {
                throw new ModelFormatException($"{index}: weight_map['{name}'] must be a shard file name in the same directory");
            }
            files.Add(shard);
        }
        return files.Select(f => Path.Combine(dir, f));
    }
}
