using Pipeline.ML.Ops;
using Pipeline.ML.Quantization;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Compute;

/// <summary>
/// The op layer the model is written against: every forward and backward computation of a training step goes
/// through here, so a CUDA backend can implement this interface without touching model code. Shapes are read
/// from the tensors; N is the number of token rows (B·T). Backward methods ACCUMULATE into gradients; a null
/// gradient means "not needed" (a frozen weight, or the first layer's input).
/// Integer inputs (token ids, positions, targets) are host arrays: they are small and made on the host.
/// </summary>
public interface ITensorOps
{
    string Name { get; }

    // ids: (N); table: (V, C); output: (N, C)
    void Embedding(ReadOnlySpan<int> ids, Tensor table, Tensor output);

    void EmbeddingBackward(ReadOnlySpan<int> ids, Tensor dout, Tensor dtable);

    // x: (N, In); weight: (Out, In); y: (N, Out) = x·weightᵀ
    void Linear(Tensor x, Tensor weight, Tensor y);

    void LinearBackward(Tensor dy, Tensor x, Tensor weight, Tensor? dx, Tensor? dweight);

    // x: (N, In); weight: NF4 (Out, In), dequantized a bounded panel at a time (QLoRA); y: (N, Out) = x·weightᵀ
    void LinearNf4(Tensor x, Nf4Tensor weight, Tensor y);

    /// <summary>dx += dy·weight. The NF4 base is frozen, so there is no weight gradient.</summary>
    void LinearNf4Backward(Tensor dy, Nf4Tensor weight, Tensor dx);

    // x, y: (N, C); weight: (C); rstd: (N)
    void RmsNorm(Tensor x, Tensor weight, Tensor y, Tensor rstd, float eps);

    void RmsNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor rstd, Tensor dx, Tensor? dweight);

    // x: (N, H·D) rotated in place; positions: (N)
    void Rope(Tensor x, ReadOnlySpan<int> positions, RopeTable<float> table, int heads);

    // dx: (N, H·D) rotated back in place
    void RopeBackward(Tensor dx, ReadOnlySpan<int> positions, RopeTable<float> table, int heads);

    // q: (N, H·D); k, v: (N, Hkv·D); output: (N, H·D); probs: (B, H, T, T); docStart: (N)
    void Attention(Tensor q, Tensor k, Tensor v, Tensor output, Tensor probs, ReadOnlySpan<int> docStart, AttentionShape shape);

    void AttentionBackward(
        Tensor dout, Tensor q, Tensor k, Tensor v, Tensor probs, ReadOnlySpan<int> docStart,
        Tensor dq, Tensor dk, Tensor dv, AttentionShape shape);

    // Inference: q: (B·Tq, H·D) at positions past…past+Tq−1; kCache, vCache: (B, L, Hkv·D); output: (B·Tq, H·D);
    // keyStart: (B) first non-padding key of each row. shape.SeqLen is the cache capacity L.
    void CachedAttention(Tensor q, Tensor kCache, Tensor vCache, Tensor output, ReadOnlySpan<int> keyStart, int queries, int past, AttentionShape shape);

    /// <summary>Copies rows (B·Tq, W) into cache (B, L, W) at rows past…past+Tq−1 of each sequence.</summary>
    void WriteCache(Tensor rows, Tensor cache, int queries, int past);

    // gate, up, h: (N, F); h = silu(gate) ⊙ up
    void SwiGlu(Tensor gate, Tensor up, Tensor h);

    void SwiGluBackward(Tensor dh, Tensor gate, Tensor up, Tensor dgate, Tensor dup);

    // logits: (N, V); targets: (N) with CrossEntropy.IgnoreIndex; losses: (N)
    CrossEntropyStats CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, Tensor losses);

    void CrossEntropyBackward(Tensor logits, ReadOnlySpan<int> targets, Tensor dlogits, float scale);

    // logits: (N, V); targets: (N); logp: (N)
    void TokenLogProbs(Tensor logits, ReadOnlySpan<int> targets, Tensor logp);

    void TokenLogProbsBackward(Tensor logits, ReadOnlySpan<int> targets, Tensor dlogp, Tensor dlogits);

    /// <summary>y = a + b, elementwise (the residual stream).</summary>
    void Add(Tensor a, Tensor b, Tensor y);

    /// <summary>y += alpha·x, elementwise.</summary>
    void AddScaled(Tensor y, Tensor x, float alpha);

    /// <summary>y = alpha·x, elementwise (x may be y).</summary>
    void Scale(Tensor x, float alpha, Tensor y);

    /// <summary>y = x ⊙ mask (dropout with a pre-scaled keep mask).</summary>
    void Multiply(Tensor x, Tensor mask, Tensor y);

    void Copy(Tensor source, Tensor destination);

    void Zero(Tensor x);
}
