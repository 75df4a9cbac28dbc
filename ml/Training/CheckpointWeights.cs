using Pipeline.ML.IO;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Training;

/// <summary>
/// The weights part of a checkpoint-N directory: the trainable state in the layout HF and PEFT read — a causal LM's
/// HF model files or its PEFT adapter; a reward model's LlamaForSequenceClassification files or its PEFT SEQ_CLS
/// adapter with the head in modules_to_save. Loading copies values into the live parameters, because the optimizer
/// holds references to them.
/// </summary>
internal static class CheckpointWeights
{
    public static void Save(LlamaModel model, string dir)
    {
        if (model.ActiveAdapter is { } adapter)
        {
            PeftAdapterFormat.Save(adapter, dir);
        }
        else
        {
            LlamaCheckpoint.Save(model, dir);
        }
    }

    public static void Load(LlamaModel model, string dir)
    {
        if (model.ActiveAdapter is { } adapter)
        {
            var saved = PeftAdapterFormat.Load(dir, adapter.Name, model.Config);
            Copy(saved.Parameters, adapter.Parameters, dir);
        }
        else
        {
            var saved = LlamaCheckpoint.Load(dir);
            Copy(saved.BaseParameters, model.BaseParameters, dir);
        }
    }

    public static void Save(RewardModel model, string dir)
    {
        if (model.Backbone.ActiveAdapter is not null)
        {
            RewardCheckpoint.SaveAdapter(model, dir);
        }
        else
        {
            RewardCheckpoint.Save(model, dir);
        }
    }

    public static void Load(RewardModel model, string dir)
    {
        if (model.Backbone.ActiveAdapter is { } adapter)
        {
            // Read into a scratch head so that a bad checkpoint leaves the live one untouched.
            var head = new Parameter(model.Head.Name, new Tensor(model.Head.Value.Shape));
            var saved = PeftAdapterFormat.Load(dir, adapter.Name, model.Backbone.Config, [head]);
            Copy(saved.Parameters.Append(head), adapter.Parameters.Append(model.Head), dir);
        }
        else
        {
            var saved = RewardCheckpoint.Load(dir);
            Copy(saved.BaseParameters, model.BaseParameters, dir);
        }
    }

    private static void Copy(IEnumerable<Parameter> from, IEnumerable<Parameter> to, string dir)
    {
        var source = from.ToDictionary(p => p.Name);
        foreach (var p in to)
        {
            if (!source.TryGetValue(p.Name, out var s) || s.Value.Length != p.Value.Length)
            {
                throw new ModelFormatException($"{dir}: checkpoint has no weight '{p.Name}' of shape {p.Value.ShapeText}");
            }
            s.Value.Span.CopyTo(p.Value.Span);
        }
    }
}
