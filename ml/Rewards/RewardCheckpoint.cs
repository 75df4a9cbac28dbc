using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.ML.Compute;
using Pipeline.ML.IO;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;

namespace Pipeline.ML.Rewards;

/// <summary>
/// Reward models in HF's layout for LlamaForSequenceClassification: config.json (architectures
/// ["LlamaForSequenceClassification"], one label) and model.safetensors with the backbone's HF names plus
/// score.weight and no lm_head — what <c>AutoModelForSequenceClassification.from_pretrained</c> reads.
/// </summary>
public static class RewardCheckpoint
{
    public const string Architecture = "LlamaForSequenceClassification";

    public static void Save(RewardModel model, string dir)
    {
        if (model.Backbone.ActiveAdapter is { Merged: true } merged)
        {
            throw new InvalidOperationException(
                $"adapter '{merged.Name}' is merged into the backbone; unmerge it before saving the reward model");
        }
        Write(model, dir);
    }

    /// <summary>
    /// The reward model with its active adapter folded into the backbone — a standalone reward model that
    /// <see cref="Load"/> reads without the base — leaving <paramref name="model"/> as it was (merged, written, unmerged).
    /// </summary>
    public static void SaveMerged(RewardModel model, string dir)
    {
        if (model.Backbone.ActiveAdapter is null)
        {
            Save(model, dir);
            return;
        }
        model.Backbone.MergeAdapter();
        try
        {
            Write(model, dir);
        }
        finally
        {
            model.Backbone.UnmergeAdapter();
        }
    }

    private static void Write(RewardModel model, string dir)
    {
        Directory.CreateDirectory(dir);
        var writer = new SafeTensorsWriter();
        foreach (var p in model.BaseParameters)
        {
            writer.Add(p.Name, p.Value.Array, p.Value.Shape.Select(d => (long)d).ToArray());
        }
        writer.SetMetadata("format", "pt");
        writer.WriteToFile(Path.Combine(dir, LlamaCheckpoint.WeightsFile));
        var configPath = Path.Combine(dir, LlamaConfigJson.FileName);
        LlamaConfigJson.Save(model.Config, configPath);
        // The causal LM's config.json, turned into a one-label sequence classifier's as HF writes it.
        var root = ModelFiles.ReadJsonObject(configPath);
        root["architectures"] = new JsonArray(Architecture);
        root["id2label"] = new JsonObject { ["0"] = "LABEL_0" };
        root["label2id"] = new JsonObject { ["LABEL_0"] = 0 };
        root["pad_token_id"] = model.PadTokenId;
        ModelFiles.WriteJson(configPath, root);
    }

    /// <summary>Loads a reward model saved by <see cref="Save"/> or by HF (score.weight required, lm_head refused).</summary>
    public static RewardModel Load(string dir, ITensorOps? ops = null)
    {
        var configPath = Path.Combine(dir, LlamaConfigJson.FileName);
        var root = ModelFiles.ReadJsonObject(configPath);
        if (!IsSequenceClassifier(root))
        {
            throw new ModelFormatException(
                $"{configPath}: architectures is {root["architectures"]?.ToJsonString() ?? "missing"}, expected [\"{Architecture}\"] " +
                "(to start a reward model from a causal LM, use FromCausalLm)");
        }
        var labels = LabelCount(root, configPath);
        if (labels != 1)
        {
            throw new ModelFormatException($"{configPath}: a reward model has one label (a scalar score), found {labels}");
        }
        var model = Create(root, configPath, ops);
        LlamaCheckpoint.ReadWeights(dir, model.BaseParameters, IsDerived);
        return model;
    }

    /// <summary>
    /// A reward model over the weights of a causal LM (a base or SFT checkpoint): its lm_head is dropped and the new
    /// score head drawn from normal(0, <paramref name="std"/>) as HF initialises a head missing from the checkpoint.
    /// </summary>
    public static RewardModel FromCausalLm(string dir, ulong seed, double std = 0.02, ITensorOps? ops = null)
    {
        var configPath = Path.Combine(dir, LlamaConfigJson.FileName);
        var model = Create(ModelFiles.ReadJsonObject(configPath), configPath, ops);
        LlamaCheckpoint.ReadWeights(dir, model.Backbone.BaseParameters, name => IsDerived(name) || name == "lm_head.weight");
        model.InitializeHead(seed, std);
        return model;
    }

    /// <summary>
    /// The backbone's active LoRA adapter with the head, as PEFT saves a SEQ_CLS adapter: task_type "SEQ_CLS",
    /// modules_to_save ["score"] and the head stored as base_model.model.score.weight beside the LoRA weights.
    /// </summary>
    public static void SaveAdapter(RewardModel model, string dir, string? baseModel = null)
    {
        var adapter = model.Backbone.ActiveAdapter ?? throw new InvalidOperationException("the reward model's backbone has no active adapter");
        PeftAdapterFormat.Save(adapter, dir, baseModel, "SEQ_CLS", [model.Head]);
    }

    /// <summary>Loads an adapter saved by <see cref="SaveAdapter"/> onto <paramref name="model"/>'s backbone (activated) and its head.</summary>
    public static LoraAdapter LoadAdapter(RewardModel model, string dir, string name = "default")
    {
        var adapter = PeftAdapterFormat.Load(dir, name, model.Backbone.Config, [model.Head]);
        model.Backbone.AddAdapter(adapter);
        model.Backbone.SetActiveAdapter(name);
        return adapter;
    }

    private static RewardModel Create(JsonObject root, string configPath, ITensorOps? ops)
    {
        var config = LlamaConfigJson.Parse(root, configPath);
        int? pad = null;
        if (root["pad_token_id"] is JsonNode node && node.GetValueKind() != JsonValueKind.Null)
        {
            pad = node is JsonValue v && v.TryGetValue<int>(out var id) && (uint)id < (uint)config.VocabSize
                ? id
                : throw new ModelFormatException($"{configPath}: pad_token_id must be a token id in [0, {config.VocabSize}), got {node.ToJsonString()}");
        }
        return new RewardModel(config, ops) { PadTokenId = pad };
    }

    // RoPE's inv_freq buffer in older HF checkpoints is derived, not a weight.
    private static bool IsDerived(string name) => name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal);

    private static bool IsSequenceClassifier(JsonObject root) =>
        root["architectures"] is JsonArray a && a.Any(n => n is JsonValue s && s.TryGetValue<string>(out var name) && name == Architecture);

    // HF writes id2label; a hand-written config may give num_labels instead. Neither: HF's default of 2.
    private static int LabelCount(JsonObject root, string configPath) => root switch
    {
        _ when root["id2label"] is JsonObject labels => labels.Count,
        _ when root["num_labels"] is JsonValue n && n.TryGetValue<int>(out var count) => count,
        _ when root["num_labels"] is JsonNode bad => throw new ModelFormatException($"{configPath}: num_labels must be an integer, got {bad.ToJsonString()}"),
        _ => 2,
    };
}
