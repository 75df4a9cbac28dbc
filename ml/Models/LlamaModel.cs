using Pipeline.ML.Compute;
using Pipeline.ML.Ops;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Models;

/// <summary>
/// A LLaMA-architecture causal LM (HF LlamaForCausalLM): token embedding, pre-norm decoder layers (RMSNorm →
/// GQA attention with RoPE → residual; RMSNorm → SwiGLU MLP → residual), final RMSNorm, lm_head (optionally tied
/// to the embedding). Weights carry HF names. Forward/Backward run through an <see cref="ITensorOps"/> backend.
/// </summary>
public sealed partial class LlamaModel
{
    public LlamaModel(LlamaConfig config, ITensorOps? ops = null)
    {
        config.Validate();
        Config = config;
        Ops = ops ?? CpuTensorOps.Instance;
        Embed = new Parameter("model.embed_tokens.weight", new Tensor(config.VocabSize, config.HiddenSize));
        Layers = Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaLayer(config, i)).ToArray();
        Norm = new Parameter("model.norm.weight", new Tensor(config.HiddenSize));
        LmHead = config.TieWordEmbeddings ? null : new Parameter("lm_head.weight", new Tensor(config.VocabSize, config.HiddenSize));
        Rope = new RopeTable<float>(config.MaxPositionEmbeddings, config.HeadDim, config.RopeTheta);
        foreach (var norm in BaseParameters.Where(p => p.Value.Rank == 1))
        {
            norm.Value.Span.Fill(1f);
        }
    }

    public LlamaConfig Config { get; }

    public ITensorOps Ops { get; }

    public Parameter Embed { get; }

    public LlamaLayer[] Layers { get; }

    public Parameter Norm { get; }

    /// <summary>Null when the embeddings are tied (the embedding matrix is the output projection).</summary>
    public Parameter? LmHead { get; }

    public RopeTable<float> Rope { get; }

    /// <summary>The output projection's weight: lm_head, or the embedding when tied.</summary>
    public Parameter OutputWeight => LmHead ?? Embed;

    /// <summary>Base weights in HF state-dict order (lm_head absent when tied).</summary>
    public IEnumerable<Parameter> BaseParameters
    {
        get
        {
            yield return Embed;
            foreach (var p in Layers.SelectMany(l => l.Parameters))
            {
                yield return p;
            }
            yield return Norm;
            if (LmHead is not null)
            {
                yield return LmHead;
            }
        }
    }

    /// <summary>Every parameter with a gradient: base weights under full fine-tuning, adapter weights under LoRA.</summary>
    public IEnumerable<Parameter> TrainableParameters =>
        BaseParameters.Concat(ActiveAdapter?.Parameters ?? []).Where(p => p.Trainable);

    /// <summary>HF's initialisation: normal(0, initializer_range) for matrices, ones for norm weights.</summary>
    public void InitializeWeights(ulong seed, double std = 0.02)
    {
        var rng = new Rng(seed);
        foreach (var p in BaseParameters)
        {
            var span = p.Value.Span;
            if (p.Value.Rank == 1)
            {
                span.Fill(1f);
                continue;
            }
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (float)(rng.NextGaussian() * std);
            }
        }
    }

    /// <summary>Makes every base weight trainable (full fine-tuning) or frozen.</summary>
    public void SetBaseTrainable(bool trainable)
    {
        if (trainable && IsBaseQuantized)
        {
            throw new InvalidOperationException("the base is NF4-quantized (QLoRA): only adapters can be trained");
        }
        foreach (var p in BaseParameters)
        {
            p.SetTrainable(trainable);
        }
    }

    public void ZeroGrad()
    {
        foreach (var p in TrainableParameters)
        {
            Ops.Zero(p.Grad!);
        }
    }

    public LlamaActivations CreateActivations(int batch, int seqLen) => new(Config, batch, seqLen);
}
