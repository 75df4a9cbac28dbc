using Pipeline.ML.Ops;
using Pipeline.ML.Quantization;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Compute;

/// <summary>
/// The CPU backend: derives dimensions from tensor shapes, checks them against each other, and runs the
/// generic ops of <see cref="Ops"/> in float32 on host memory.
/// </summary>
public sealed class CpuTensorOps : ITensorOps
{
    public static CpuTensorOps Instance { get; } = new();

    public string Name => $"cpu ({CpuParallel.Threads} threads)";

    public void Embedding(ReadOnlySpan<int> ids, Tensor table, Tensor output) =>
        Ops.Embedding.Forward<float>(ids, table.Span, output.Span, table.Dim(0), table.Dim(1));

    public void EmbeddingBackward(ReadOnlySpan<int> ids, Tensor dout, Tensor dtable) =>
        Ops.Embedding.Backward<float>(ids, dout.Span, dtable.Span, dtable.Dim(0), dtable.Dim(1));

    public void Linear(Tensor x, Tensor weight, Tensor y) =>
        Ops.Linear.Forward<float>(x.Span, weight.Span, y.Span, Rows(x, weight.Dim(1), "linear x"), weight.Dim(1), weight.Dim(0));

    public void LinearBackward(Tensor dy, Tensor x, Tensor weight, Tensor? dx, Tensor? dweight) =>
        Ops.Linear.Backward<float>(
            dy.Span, x.Span, weight.Span, Optional(dx), Optional(dweight),
            Rows(x, weight.Dim(1), "linear x"), weight.Dim(1), weight.Dim(0));

    public void LinearNf4(Tensor x, Nf4Tensor weight, Tensor y) =>
        Nf4Linear.Forward(x.Span, weight, y.Span, Rows(x, weight.Dim(-1), "nf4 linear x"));

    public void LinearNf4Backward(Tensor dy, Nf4Tensor weight, Tensor dx) =>
        Nf4Linear.BackwardInput(dy.Span, weight, dx.Span, Rows(dx, weight.Dim(-1), "nf4 linear dx"));

    public void RmsNorm(Tensor x, Tensor weight, Tensor y, Tensor rstd, float eps) =>
        Ops.RmsNorm.Forward<float>(x.Span, weight.Span, y.Span, rstd.Span, Rows(x, weight.Length, "rmsnorm x"), weight.Length, eps);

    public void RmsNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor rstd, Tensor dx, Tensor? dweight) =>
        Ops.RmsNorm.Backward<float>(
            dy.Span, x.Span, weight.Span, rstd.Span, dx.Span, Optional(dweight), Rows(x, weight.Length, "rmsnorm x"), weight.Length);

    public void Rope(Tensor x, ReadOnlySpan<int> positions, RopeTable<float> table, int heads) =>
        Ops.Rope.Forward(x.Span, positions, table, Rows(x, heads * table.HeadDim, "rope x"), heads);

    public void RopeBackward(Tensor dx, ReadOnlySpan<int> positions, RopeTable<float> table, int heads) =>
        Ops.Rope.Backward(dx.Span, positions, table, Rows(dx, heads * table.HeadDim, "rope dx"), heads);

    public void Attention(Tensor q, Tensor k, Tensor v, Tensor output, Tensor probs, ReadOnlySpan<int> docStart, AttentionShape s) =>
        Ops.Attention.Forward<float>(
            q.Span, k.Span, v.Span, output.Span, probs.Span, docStart, s.Batch, s.SeqLen, s.Heads, s.KvHeads, s.HeadDim);

    public void AttentionBackward(
        Tensor dout, Tensor q, Tensor k, Tensor v, Tensor probs, ReadOnlySpan<int> docStart,
        Tensor dq, Tensor dk, Tensor dv, AttentionShape s) =>
        Ops.Attention.Backward<float>(
            dout.Span, q.Span, k.Span, v.Span, probs.Span, docStart, dq.Span, dk.Span, dv.Span,
            s.Batch, s.SeqLen, s.Heads, s.KvHeads, s.HeadDim);

    public void CachedAttention(
        Tensor q, Tensor kCache, Tensor vCache, Tensor output, ReadOnlySpan<int> keyStart, int queries, int past, AttentionShape s) =>
        Ops.CachedAttention.Forward<float>(
            q.Span, kCache.Span, vCache.Span, output.Span, keyStart, s.Batch, queries, past, s.SeqLen, s.Heads, s.KvHeads, s.HeadDim);

    public void WriteCache(Tensor rows, Tensor cache, int queries, int past)
    {
        int batch = cache.Dim(0), capacity = cache.Dim(1), width = cache.Dim(2);
        if (rows.Length != batch * queries * width || past + queries > capacity)
        {
            throw new ArgumentException(
                $"write-cache: rows {rows.ShapeText} at [{past}, {past + queries}) do not fit cache {cache.ShapeText}");
        }
        for (var b = 0; b < batch; b++)
        {
            rows.Span.Slice(b * queries * width, queries * width).CopyTo(cache.Span.Slice((b * capacity + past) * width, queries * width));
        }
    }

    public void SwiGlu(Tensor gate, Tensor up, Tensor h) =>
        Ops.SwiGlu.Forward<float>(gate.Span, up.Span, h.Span, gate.Length);

    public void SwiGluBackward(Tensor dh, Tensor gate, Tensor up, Tensor dgate, Tensor dup) =>
        Ops.SwiGlu.Backward<float>(dh.Span, gate.Span, up.Span, dgate.Span, dup.Span, gate.Length);

    public CrossEntropyStats CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, Tensor losses) =>
        Ops.CrossEntropy.Forward<float>(logits.Span, targets, losses.Span, targets.Length, logits.Dim(-1));

    public void CrossEntropyBackward(Tensor logits, ReadOnlySpan<int> targets, Tensor dlogits, float scale) =>
        Ops.CrossEntropy.Backward<float>(logits.Span, targets, dlogits.Span, targets.Length, logits.Dim(-1), scale);

    public void TokenLogProbs(Tensor logits, ReadOnlySpan<int> targets, Tensor logp) =>
        Ops.TokenLogProbs.Forward<float>(logits.Span, targets, logp.Span, targets.Length, logits.Dim(-1));

    public void TokenLogProbsBackward(Tensor logits, ReadOnlySpan<int> targets, Tensor dlogp, Tensor dlogits) =>
        Ops.TokenLogProbs.Backward<float>(logits.Span, targets, dlogp.Span, dlogits.Span, targets.Length, logits.Dim(-1));

    public void Add(Tensor a, Tensor b, Tensor y)
    {
        SameLength(a, b, "add");
        SameLength(a, y, "add");
        VectorMath.Add(a.Span, b.Span, y.Span);
    }

    public void AddScaled(Tensor y, Tensor x, float alpha)
    {
        SameLength(y, x, "add-scaled");
        VectorMath.AddScaled(y.Span, x.Span, alpha);
    }

    public void Scale(Tensor x, float alpha, Tensor y)
    {
        SameLength(x, y, "scale");
        VectorMath.Scale(x.Span, alpha, y.Span);
    }

    public void Multiply(Tensor x, Tensor mask, Tensor y)
    {
        SameLength(x, mask, "multiply");
        SameLength(x, y, "multiply");
        VectorMath.Multiply(x.Span, mask.Span, y.Span);
    }

    public void Copy(Tensor source, Tensor destination)
    {
        SameLength(source, destination, "copy");
        source.Span.CopyTo(destination.Span);
    }

    public void Zero(Tensor x) => x.Clear();

    private static Span<float> Optional(Tensor? t) => t is null ? Span<float>.Empty : t.Span;

    private static int Rows(Tensor x, int rowLength, string what)
    {
        if (rowLength <= 0 || x.Length % rowLength != 0)
        {
            throw new ArgumentException($"{what}: {x.ShapeText} is not a whole number of rows of {rowLength}");
        }
        return x.Length / rowLength;
    }

    private static void SameLength(Tensor a, Tensor b, string op)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"{op}: shapes {a.ShapeText} and {b.ShapeText} differ in size");
        }
    }
}
