using Pipeline.ML.Lora;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Models;

/// <summary>One decoder layer's weights, named as HF's <c>model.layers.{i}.*</c>.</summary>
public sealed class LlamaLayer
{
    public LlamaLayer(LlamaConfig c, int index)
    {
        Index = index;
        var p = $"model.layers.{index}.";
        int q = c.NumAttentionHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim;
        InputNorm = new Parameter(p + "input_layernorm.weight", new Tensor(c.HiddenSize));
        Q = Linear(p + "self_attn.q_proj.weight", q, c.HiddenSize, LoraTarget.QProj);
        K = Linear(p + "self_attn.k_proj.weight", kv, c.HiddenSize, LoraTarget.KProj);
        V = Linear(p + "self_attn.v_proj.weight", kv, c.HiddenSize, LoraTarget.VProj);
        O = Linear(p + "self_attn.o_proj.weight", c.HiddenSize, q, LoraTarget.OProj);
        PostNorm = new Parameter(p + "post_attention_layernorm.weight", new Tensor(c.HiddenSize));
        Gate = Linear(p + "mlp.gate_proj.weight", c.IntermediateSize, c.HiddenSize, LoraTarget.GateProj);
        Up = Linear(p + "mlp.up_proj.weight", c.IntermediateSize, c.HiddenSize, LoraTarget.UpProj);
        Down = Linear(p + "mlp.down_proj.weight", c.HiddenSize, c.IntermediateSize, LoraTarget.DownProj);
    }

    public int Index { get; }

    public Parameter InputNorm { get; }

    public Projection Q { get; }

    public Projection K { get; }

    public Projection V { get; }

    public Projection O { get; }

    public Parameter PostNorm { get; }

    public Projection Gate { get; }

    public Projection Up { get; }

    public Projection Down { get; }

    public IEnumerable<Projection> Projections => [Q, K, V, O, Gate, Up, Down];

    public Projection Projection(LoraTarget single) => Projections.First(p => p.Target == single);

    /// <summary>The float32 weights in HF's state-dict order; projections quantized to NF4 (QLoRA) are left out.</summary>
    public IEnumerable<Parameter> Parameters =>
        [InputNorm, .. FloatWeights(Q, K, V, O), PostNorm, .. FloatWeights(Gate, Up, Down)];

    private static IEnumerable<Parameter> FloatWeights(params Projection[] projections) =>
        projections.Where(p => p.Quantized is null).Select(p => p.Weight);

    private static Projection Linear(string name, int outFeatures, int inFeatures, LoraTarget target) =>
        new(new Parameter(name, new Tensor(outFeatures, inFeatures)), target);
}
