using Pipeline.ML.Compute;
using Pipeline.ML.Models;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Lora;

/// <summary>
/// A named set of LoRA weights over a base model: one <see cref="LoraWeights"/> per adapted (layer, projection).
/// Parameter names are PEFT's saved keys (base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight, …).
/// </summary>
public sealed class LoraAdapter
{
    private readonly Dictionary<(int Layer, LoraTarget Target), LoraWeights> _weights;

    internal LoraAdapter(string name, LoraConfig config, Dictionary<(int, LoraTarget), LoraWeights> weights)
    {
        Name = name;
        Config = config;
        _weights = weights;
    }

    public string Name { get; }

    public LoraConfig Config { get; }

    /// <summary>Whether ΔW is currently folded into the base weights.</summary>
    public bool Merged { get; internal set; }

    public IReadOnlyDictionary<(int Layer, LoraTarget Target), LoraWeights> Weights => _weights;

    /// <summary>A then B for each adapted projection, in layer and module order.</summary>
    public IEnumerable<Parameter> Parameters =>
        _weights.OrderBy(kv => kv.Key.Layer).ThenBy(kv => kv.Key.Target).SelectMany(kv => new[] { kv.Value.A, kv.Value.B });

    public void SetTrainable(bool trainable)
    {
        foreach (var p in Parameters)
        {
            p.SetTrainable(trainable);
        }
    }

    /// <summary>
    /// A fresh adapter initialised as PEFT does: A ~ kaiming_uniform(a=√5) = U(−1/√in, 1/√in), B = 0, so the adapted
    /// model starts exactly at the base model.
    /// </summary>
    public static LoraAdapter Create(string name, LoraConfig config, LlamaConfig model, ulong seed)
    {
        config.Validate();
        var rng = new Rng(seed);
        return Build(name, config, model, (a, b) =>
        {
            var bound = 1.0 / Math.Sqrt(a.Dim(1));
            var span = a.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
            }
        });
    }

    /// <summary>An adapter with zero weights for every (layer, target), to be filled by a loader.</summary>
    internal static LoraAdapter Build(string name, LoraConfig config, LlamaConfig model, Action<Tensor, Tensor>? init = null)
    {
        var weights = new Dictionary<(int, LoraTarget), LoraWeights>();
        var probe = new LlamaLayer(model, 0);
        for (var layer = 0; layer < model.NumHiddenLayers; layer++)
        {
            foreach (var (target, module) in LoraTargets.Modules)
            {
                if (!config.Targets.HasFlag(target))
                {
                    continue;
                }
                var shape = probe.Projection(target);
                var prefix = KeyPrefix(layer, target);
                var a = new Parameter(prefix + ".lora_A.weight", new Tensor(config.R, shape.InFeatures));
                var b = new Parameter(prefix + ".lora_B.weight", new Tensor(shape.OutFeatures, config.R));
                init?.Invoke(a.Value, b.Value);
                weights[(layer, target)] = new LoraWeights(a, b, config.Scale, (float)config.Dropout);
            }
        }
        return new LoraAdapter(name, config, weights);
    }

    /// <summary>PEFT's key for a projection, e.g. base_model.model.model.layers.3.mlp.up_proj.</summary>
    public static string KeyPrefix(int layer, LoraTarget target)
    {
        var block = target is LoraTarget.GateProj or LoraTarget.UpProj or LoraTarget.DownProj ? "mlp" : "self_attn";
        return $"base_model.model.model.layers.{layer}.{block}.{LoraTargets.ModuleName(target)}";
    }
}
