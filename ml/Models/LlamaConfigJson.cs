using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.ML.Models;

/// <summary>
/// Reads and writes HF transformers' config.json for LlamaForCausalLM. Reading is strict about what would change the
/// computation (a different activation, biases, RoPE scaling) and names the field and file in every error.
/// </summary>
public static class LlamaConfigJson
{
    public const string FileName = "config.json";

    /// <param name="defaultVocabSize">Used when the file has no vocab_size (a config written for a tokenizer not yet trained).</param>
    public static LlamaConfig Load(string path, int? defaultVocabSize = null)
    {
        var root = ModelFiles.ReadJsonObject(path);
        if (defaultVocabSize is { } vocab)
        {
            root["vocab_size"] ??= vocab;
        }
        return Parse(root, path);
    }

    public static LlamaConfig Parse(JsonObject root, string source)
    {
        var modelType = String(root, "model_type", source);
        if (modelType is not null && modelType != "llama")
        {
            throw new ModelFormatException($"{source}: model_type is '{modelType}', expected 'llama'");
        }
        var act = String(root, "hidden_act", source) ?? "silu";
        if (act != "silu")
        {
            throw new ModelFormatException($"{source}: hidden_act is '{act}', expected 'silu' (SwiGLU)");
        }
        foreach (var flag in new[] { "attention_bias", "mlp_bias" })
        {
            if (Bool(root, flag, source) == true)
            {
                throw new ModelFormatException($"{source}: {flag} is true; only bias-free LLaMA layers are supported");
            }
        }
        if (root["rope_scaling"] is JsonNode scaling)
        {
            throw new ModelFormatException($"{source}: rope_scaling {scaling.ToJsonString()} is not supported (default RoPE only)");
        }
        var hidden = Int(root, "hidden_size", source) ?? throw Missing("hidden_size", source);
        var heads = Int(root, "num_attention_heads", source) ?? throw Missing("num_attention_heads", source);
        var config = new LlamaConfig
        {
            VocabSize = Int(root, "vocab_size", source) ?? throw Missing("vocab_size", source),
            HiddenSize = hidden,
            IntermediateSize = Int(root, "intermediate_size", source) ?? throw Missing("intermediate_size", source),
            NumHiddenLayers = Int(root, "num_hidden_layers", source) ?? throw Missing("num_hidden_layers", source),
            NumAttentionHeads = heads,
            NumKeyValueHeads = Int(root, "num_key_value_heads", source) ?? heads,
            HeadDim = Int(root, "head_dim", source) ?? (heads > 0 ? hidden / heads : 0),
            MaxPositionEmbeddings = Int(root, "max_position_embeddings", source) ?? 2048,
            RmsNormEps = Double(root, "rms_norm_eps", source) ?? 1e-6,
            RopeTheta = Double(root, "rope_theta", source) ?? 10000.0,
            TieWordEmbeddings = Bool(root, "tie_word_embeddings", source) ?? false,
            BosTokenId = Int(root, "bos_token_id", source),
            EosTokenId = Int(root, "eos_token_id", source),
        };
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{source}: {e.Message}", e);
        }
        return config;
    }

    public static void Save(LlamaConfig config, string path)
    {
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["vocab_size"] = config.VocabSize,
            ["hidden_size"] = config.HiddenSize,
            ["intermediate_size"] = config.IntermediateSize,
            ["num_hidden_layers"] = config.NumHiddenLayers,
            ["num_attention_heads"] = config.NumAttentionHeads,
            ["num_key_value_heads"] = config.NumKeyValueHeads,
            ["head_dim"] = config.HeadDim,
            ["max_position_embeddings"] = config.MaxPositionEmbeddings,
            ["rms_norm_eps"] = config.RmsNormEps,
            ["rope_theta"] = config.RopeTheta,
            ["rope_scaling"] = null,
            ["tie_word_embeddings"] = config.TieWordEmbeddings,
            ["hidden_act"] = "silu",
            ["attention_bias"] = false,
            ["mlp_bias"] = false,
            ["initializer_range"] = 0.02,
            ["torch_dtype"] = "float32",
            ["bos_token_id"] = config.BosTokenId,
            ["eos_token_id"] = config.EosTokenId,
        };
        ModelFiles.WriteJson(path, root);
    }

    private static ModelFormatException Missing(string field, string source) =>
        new($"{source}: required field '{field}' is missing");

    private static int? Int(JsonObject root, string field, string source)
    {
        var node = root[field];
        if (node is null)
        {
            return null;
        }
        if (TryNumber(node, out var x) && x == Math.Floor(x) && Math.Abs(x) <= int.MaxValue)
        {
            return (int)x;
        }
        throw new ModelFormatException($"{source}: '{field}' must be an integer, got {node.ToJsonString()}");
    }

    private static double? Double(JsonObject root, string field, string source)
    {
        var node = root[field];
        if (node is null)
        {
            return null;
        }
        if (TryNumber(node, out var d))
        {
            return d;
        }
        throw new ModelFormatException($"{source}: '{field}' must be a number, got {node.ToJsonString()}");
    }

    // Read numbers from their JSON text: a JsonValue made in code (not parsed) converts only to its own CLR type.
    private static bool TryNumber(JsonNode node, out double value)
    {
        value = 0;
        return node.GetValueKind() == JsonValueKind.Number &&
            double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool? Bool(JsonObject root, string field, string source)
    {
        var node = root[field];
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue v && v.TryGetValue<bool>(out var b))
        {
            return b;
        }
        throw new ModelFormatException($"{source}: '{field}' must be true or false, got {node.ToJsonString()}");
    }

    private static string? String(JsonObject root, string field, string source)
    {
        var node = root[field];
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }
        throw new ModelFormatException($"{source}: '{field}' must be a string, got {node.ToJsonString()}");
    }
}

