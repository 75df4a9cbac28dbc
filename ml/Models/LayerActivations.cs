using Pipeline.ML.Tensors;

namespace Pipeline.ML.Models;

/// <summary>What one decoder layer's forward keeps for its backward (llm.c's per-layer activation slots).</summary>
public sealed class LayerActivations
{
    public LayerActivations(LlamaConfig c, int batch, int seqLen, LoraScratch? loraScratch = null)
    {
        loraScratch ??= new LoraScratch();
        Lora = Enumerable.Range(0, 7).Select(_ => new ProjectionCache(loraScratch)).ToArray();
        var n = batch * seqLen;
        int q = c.NumAttentionHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim;
        Input = new Tensor(n, c.HiddenSize);
        Norm1 = new Tensor(n, c.HiddenSize);
        Rstd1 = new Tensor(n);
        Q = new Tensor(n, q);
        K = new Tensor(n, kv);
        V = new Tensor(n, kv);
        Probs = new Tensor(batch, c.NumAttentionHeads, seqLen, seqLen);
        AttnOut = new Tensor(n, q);
        Mid = new Tensor(n, c.HiddenSize);
        Norm2 = new Tensor(n, c.HiddenSize);
        Rstd2 = new Tensor(n);
        Gate = new Tensor(n, c.IntermediateSize);
        Up = new Tensor(n, c.IntermediateSize);
        Hidden = new Tensor(n, c.IntermediateSize);
    }

    public Tensor Input { get; }     // (N, C) residual stream entering the layer

    public Tensor Norm1 { get; }     // (N, C) input_layernorm(x)

    public Tensor Rstd1 { get; }     // (N)

    public Tensor Q { get; }         // (N, H·D) after RoPE

    public Tensor K { get; }         // (N, Hkv·D) after RoPE

    public Tensor V { get; }         // (N, Hkv·D)

    public Tensor Probs { get; }     // (B, H, T, T)

    public Tensor AttnOut { get; }   // (N, H·D) attention output before o_proj

    public Tensor Mid { get; }       // (N, C) x + o_proj(attn)

    public Tensor Norm2 { get; }     // (N, C) post_attention_layernorm(mid)

    public Tensor Rstd2 { get; }     // (N)

    public Tensor Gate { get; }      // (N, F)

    public Tensor Up { get; }        // (N, F)

    public Tensor Hidden { get; }    // (N, F) silu(gate) ⊙ up

    /// <summary>LoRA caches, one per projection (q, k, v, o, gate, up, down).</summary>
    public ProjectionCache[] Lora { get; }
}
