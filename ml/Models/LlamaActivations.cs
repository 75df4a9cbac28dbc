using Pipeline.ML.Tensors;

namespace Pipeline.ML.Models;

/// <summary>
/// Every buffer one training step of a (B, T) batch needs, allocated once and reused step after step so that a
/// step allocates nothing: per-layer forward activations plus one set of gradient scratch buffers. With
/// <c>logits: false</c> the two (N, V) buffers are empty — for heads that read the hidden states instead
/// (<see cref="LlamaModel.ForwardHidden"/>), where they would be the largest buffers of all.
/// </summary>
public sealed class LlamaActivations
{
    public LlamaActivations(LlamaConfig c, int batch, int seqLen, bool logits = true)
    {
        Batch = batch;
        SeqLen = seqLen;
        var n = batch * seqLen;
        int q = c.NumAttentionHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim;
        // One LoRA scratch for all layers: a projection's temporaries live only within its own forward or backward.
        var loraScratch = new LoraScratch();
        Layers = Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new LayerActivations(c, batch, seqLen, loraScratch)).ToArray();
        FinalInput = new Tensor(n, c.HiddenSize);
        FinalNorm = new Tensor(n, c.HiddenSize);
        FinalRstd = new Tensor(n);
        var logitRows = logits ? n : 0;
        Logits = new Tensor(logitRows, c.VocabSize);
        Losses = new Tensor(n);
        Scratch = new Tensor(n, c.HiddenSize);
        DResid = new Tensor(n, c.HiddenSize);
        DNorm = new Tensor(n, c.HiddenSize);
        DQ = new Tensor(n, q);
        DK = new Tensor(n, kv);
        DV = new Tensor(n, kv);
        DAttn = new Tensor(n, q);
        DGate = new Tensor(n, c.IntermediateSize);
        DUp = new Tensor(n, c.IntermediateSize);
        DHidden = new Tensor(n, c.IntermediateSize);
        DLogits = new Tensor(logitRows, c.VocabSize);
    }

    public int Batch { get; }

    public int SeqLen { get; }

    public LayerActivations[] Layers { get; }

    public Tensor FinalInput { get; }   // (N, C) residual stream after the last layer

    public Tensor FinalNorm { get; }    // (N, C)

    public Tensor FinalRstd { get; }    // (N)

    public Tensor Logits { get; }       // (N, V)

    public Tensor Losses { get; }       // (N) per-token cross-entropy

    public Tensor Scratch { get; }      // (N, C) o_proj / down_proj output before the residual add

    public Tensor DResid { get; }

    public Tensor DNorm { get; }

    public Tensor DQ { get; }

    public Tensor DK { get; }

    public Tensor DV { get; }

    public Tensor DAttn { get; }

    public Tensor DGate { get; }

    public Tensor DUp { get; }

    public Tensor DHidden { get; }

    public Tensor DLogits { get; }      // (N, V) set by the loss before Backward

    public bool Fits(TokenBatch batch) => batch.Batch == Batch && batch.SeqLen == SeqLen;
}
