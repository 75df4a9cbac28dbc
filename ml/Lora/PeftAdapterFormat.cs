using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.ML.IO;
using Pipeline.ML.Models;

namespace Pipeline.ML.Lora;

/// <summary>
/// PEFT's on-disk LoRA layout: adapter_config.json + adapter_model.safetensors with keys like
/// base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight. Loading is strict about every option that
/// would change the computation (DoRA, rsLoRA, per-layer rank patterns, fan_in_fan_out, biases, extra modules).
/// </summary>
public static class PeftAdapterFormat
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";

    public static void Save(LoraAdapter adapter, string dir, string? baseModel = null) =>
        Save(adapter, dir, baseModel, "CAUSAL_LM", []);

    /// <summary>
    /// Saves with PEFT's modules_to_save: whole weights trained beside the adapter (a classifier head), stored under
    /// base_model.model.{module}.weight as PEFT's save_pretrained strips them.
    /// </summary>
    internal static void Save(LoraAdapter adapter, string dir, string? baseModel, string taskType, IReadOnlyList<Parameter> modulesToSave)
    {
        Directory.CreateDirectory(dir);
        var c = adapter.Config;
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = taskType,
            ["base_model_name_or_path"] = baseModel,
            ["r"] = c.R,
            ["lora_alpha"] = c.Alpha,
            ["lora_dropout"] = c.Dropout,
            ["target_modules"] = new JsonArray(LoraTargets.ModuleNames(c.Targets).Select(m => (JsonNode)m).ToArray()),
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["use_rslora"] = false,
            ["use_dora"] = false,
            ["init_lora_weights"] = true,
            ["inference_mode"] = true,
            ["modules_to_save"] = modulesToSave.Count == 0 ? null : new JsonArray(modulesToSave.Select(p => (JsonNode)Module(p)).ToArray()),
            ["layers_to_transform"] = null,
            ["rank_pattern"] = new JsonObject(),
            ["alpha_pattern"] = new JsonObject(),
        };
        var writer = new SafeTensorsWriter();
        foreach (var p in adapter.Parameters)
        {
            writer.Add(p.Name, p.Value.Array, p.Value.Shape.Select(d => (long)d).ToArray());
        }
        foreach (var p in modulesToSave)
        {
            writer.Add(SavedKey(p), p.Value.Array, p.Value.Shape.Select(d => (long)d).ToArray());
        }
        writer.SetMetadata("format", "pt");
        writer.WriteToFile(Path.Combine(dir, WeightsFile));
        var path = Path.Combine(dir, ConfigFile);
        ModelFiles.WriteJson(path, config);
    }

    public static LoraAdapter Load(string dir, string name, LlamaConfig model) => Load(dir, name, model, []);

    /// <summary>Loads an adapter saved with exactly these modules_to_save, reading them into <paramref name="modulesToSave"/>.</summary>
    internal static LoraAdapter Load(string dir, string name, LlamaConfig model, IReadOnlyList<Parameter> modulesToSave)
    {
        var configPath = Path.Combine(dir, ConfigFile);
        var config = ReadConfig(configPath, modulesToSave.Select(Module).ToHashSet(StringComparer.Ordinal));
        var adapter = LoraAdapter.Build(name, config, model);
        var expected = adapter.Parameters.Concat(modulesToSave.Select(p => new Parameter(SavedKey(p), p.Value)))
            .ToDictionary(p => p.Name);
        var file = Path.Combine(dir, WeightsFile);
        using (var st = ModelFiles.OpenSafeTensors(file))
        {
            foreach (var (key, info) in st.Tensors)
            {
                if (!expected.TryGetValue(key, out var p))
                {
                    throw new ModelFormatException(
                        $"{file}: unexpected tensor '{key}' (adapter_config.json targets {string.Join(", ", LoraTargets.ModuleNames(config.Targets))} with r={config.R})");
                }
                var want = p.Value.Shape.Select(d => (long)d).ToArray();
                if (!info.Shape.SequenceEqual(want))
                {
                    throw new ModelFormatException(
                        $"{file}: tensor '{key}' has shape [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", want)}]");
                }
                st.ReadFloat32(key).CopyTo(p.Value.Span);
                expected.Remove(key);
            }
        }
        if (expected.Count > 0)
        {
            throw new ModelFormatException($"{file}: missing {expected.Count} tensor(s), first '{expected.Keys.First()}'");
        }
        return adapter;
    }

    // score.weight → module "score", saved as base_model.model.score.weight.
    private static string Module(Parameter p) => p.Name.EndsWith(".weight", StringComparison.Ordinal) ? p.Name[..^".weight".Length] : p.Name;

    private static string SavedKey(Parameter p) => $"base_model.model.{p.Name}";

    private static LoraConfig ReadConfig(string path, IReadOnlySet<string> modulesToSave)
    {
        var root = ModelFiles.ReadJsonObject(path);
        Require(root, "peft_type", "LORA", path);
        Require(root, "bias", "none", path);
        foreach (var flag in new[] { "use_rslora", "use_dora", "fan_in_fan_out" })
        {
            if (root[flag] is JsonValue v && v.TryGetValue<bool>(out var on) && on)
            {
                throw new ModelFormatException($"{path}: {flag} is true, which is not supported");
            }
        }
        foreach (var field in new[] { "rank_pattern", "alpha_pattern" })
        {
            if (root[field] is JsonObject o && o.Count > 0)
            {
                throw new ModelFormatException($"{path}: {field} is not supported (one rank and alpha for every module)");
            }
        }
        if (root["layers_to_transform"] is JsonNode layers && layers.GetValueKind() != JsonValueKind.Null)
        {
            throw new ModelFormatException($"{path}: layers_to_transform is not supported");
        }
        var saved = root["modules_to_save"] switch
        {
            null => [],
            JsonNode n when n.GetValueKind() == JsonValueKind.Null => [],
            JsonArray a => a.Select(x => x?.GetValueKind() == JsonValueKind.String ? x.GetValue<string>() : throw Bad("modules_to_save", "a list of module names", path)).ToHashSet(StringComparer.Ordinal),
            _ => throw Bad("modules_to_save", "a list of module names", path),
        };
        if (!saved.SetEquals(modulesToSave))
        {
            throw new ModelFormatException(
                $"{path}: modules_to_save is [{string.Join(", ", saved)}], expected [{string.Join(", ", modulesToSave)}]" +
                (modulesToSave.Count == 0 ? " (a causal LM adapter trains no whole modules)" : ""));
        }
        var targetsNode = root["target_modules"];
        IEnumerable<string> targets = targetsNode switch
        {
            JsonArray a => a.Select(x => x?.GetValueKind() == JsonValueKind.String ? x.GetValue<string>() : throw Bad("target_modules", "a list of module names", path)),
            JsonValue v when v.TryGetValue<string>(out var s) => [s],
            _ => throw Bad("target_modules", "a list of module names", path),
        };
        try
        {
            var config = new LoraConfig
            {
                R = Number(root, "r", path) is var r && r == Math.Floor(r) ? (int)r : throw Bad("r", "an integer", path),
                Alpha = Number(root, "lora_alpha", path),
                Dropout = root["lora_dropout"] is null ? 0 : Number(root, "lora_dropout", path),
                Targets = LoraTargets.Parse(targets),
            };
            config.Validate();
            return config;
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{path}: {e.Message}", e);
        }
    }

    private static void Require(JsonObject root, string field, string value, string path)
    {
        var node = root[field];
        if (node is not JsonValue v || !v.TryGetValue<string>(out var s) || s != value)
        {
            throw new ModelFormatException($"{path}: {field} must be \"{value}\", got {node?.ToJsonString() ?? "nothing"}");
        }
    }

    private static double Number(JsonObject root, string field, string path) =>
        root[field] is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw Bad(field, "a number", path);

    private static ModelFormatException Bad(string field, string expected, string path) =>
        new($"{path}: '{field}' must be {expected}");
}
