using System.Diagnostics;
using Pipeline.ML.Compute;
using Pipeline.ML.Ops;
using Pipeline.ML.Quantization;
using Pipeline.ML.Tensors;

namespace Pipeline.Workers.Bench;

/// <summary>
/// An <see cref="ITensorOps"/> that forwards every call to another backend and records its wall time in an
/// <see cref="OpProfile"/>. CPU ops are synchronous, so the time of a call is the time of the op. Linear ops are
/// keyed by their weight's (Out, In) shape, so each projection (and each LoRA factor) shows separately.
/// </summary>
public sealed class ProfilingTensorOps(ITensorOps inner, OpProfile profile) : ITensorOps
{
    public string Name => inner.Name + " (profiled)";

    public void Embedding(ReadOnlySpan<int> ids, Tensor table, Tensor output)
    {
        var t = Stopwatch.GetTimestamp();
        inner.Embedding(ids, table, output);
        profile.Op("embedding", t);
    }

    public void EmbeddingBackward(ReadOnlySpan<int> ids, Tensor dout, Tensor dtable)
    {
        var t = Stopwatch.GetTimestamp();
        inner.EmbeddingBackward(ids, dout, dtable);
        profile.Op("embedding bwd", t);
    }

    public void Linear(Tensor x, Tensor weight, Tensor y)
    {
        var t = Stopwatch.GetTimestamp();
        inner.Linear(x, weight, y);
        profile.Op("linear", t, weight.Dim(0), weight.Dim(1));
    }

    public void LinearBackward(Tensor dy, Tensor x, Tensor weight, Tensor? dx, Tensor? dweight)
    {
        var t = Stopwatch.GetTimestamp();
        inner.LinearBackward(dy, x, weight, dx, dweight);
        var what = (dx is null, dweight is null) switch
        {
            (false, false) => "linear bwd dx+dW",
            (false, true) => "linear bwd dx",
            (true, false) => "linear bwd dW",
            _ => "linear bwd (nothing)",
        };
        profile.Op(what, t, weight.Dim(0), weight.Dim(1));
    }

    public void LinearNf4(Tensor x, Nf4Tensor weight, Tensor y)
    {
        var t = Stopwatch.GetTimestamp();
        inner.LinearNf4(x, weight, y);
        profile.Op("linear nf4", t, weight.Dim(0), weight.Dim(1));
    }

    public void LinearNf4Backward(Tensor dy, Nf4Tensor weight, Tensor dx)
    {
        var t = Stopwatch.GetTimestamp();
        inner.LinearNf4Backward(dy, weight, dx);
        profile.Op("linear nf4 bwd dx", t, weight.Dim(0), weight.Dim(1));
    }

    public void RmsNorm(Tensor x, Tensor weight, Tensor y, Tensor rstd, float eps)
    {
        var t = Stopwatch.GetTimestamp();
        inner.RmsNorm(x, weight, y, rstd, eps);
        profile.Op("rmsnorm", t);
    }

    public void RmsNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor rstd, Tensor dx, Tensor? dweight)
    {
        var t = Stopwatch.GetTimestamp();
        inner.RmsNormBackward(dy, x, weight, rstd, dx, dweight);
        profile.Op("rmsnorm bwd", t);
    }

    public void Rope(Tensor x, ReadOnlySpan<int> positions, RopeTable<float> table, int heads)
    {
        var t = Stopwatch.GetTimestamp();
        inner.Rope(x, positions, table, heads);
        profile.Op("rope", t);
    }

    public void RopeBackward(Tensor dx, ReadOnlySpan<int> positions, RopeTable<float> table, int heads)
    {
        var t = Stopwatch.GetTimestamp();
        inner.RopeBackward(dx, positions, table, heads);
        profile.Op("rope bwd", t);
    }

    public void Attention(Tensor q, Tensor k, Tensor v, Tensor output, Tensor probs, ReadOnlySpan<int> docStart, AttentionShape shape)
    {
        var t = Stopwatch.GetTimestamp();
        inner.Attention(q, k, v, output, probs, docStart, shape);
        profile.Op("attention", t);
    }

    public void AttentionBackward(
        Tensor dout, Tensor q, Tensor k, Tensor v, Tensor probs, ReadOnlySpan<int> docStart,
        Tensor dq, Tensor dk, Tensor dv, AttentionShape shape)
    {
        var t = Stopwatch.GetTimestamp();
        inner.AttentionBackward(dout, q, k, v, probs, docStart, dq, dk, dv, shape);
        profile.Op("attention bwd", t);
    }

    public void CachedAttention(
        Tensor q, Tensor kCache, Tensor vCache, Tensor output, ReadOnlySpan<int> keyStart, int queries, int past, AttentionShape shape)
    {
        var t = Stopwatch.GetTimestamp();
        inner.CachedAttention(q, kCache, vCache, output, keyStart, queries, past, shape);
        profile.Op("cached attention", t);
    }

    public void WriteCache(Tensor rows, Tensor cache, int queries, int past)
    {
        var t = Stopwatch.GetTimestamp();
        inner.WriteCache(rows, cache, queries, past);
        profile.Op("write cache", t);
    }

    public void SwiGlu(Tensor gate, Tensor up, Tensor h)
    {
        var t = Stopwatch.GetTimestamp();
        inner.SwiGlu(gate, up, h);
        profile.Op("swiglu", t);
    }

    public void SwiGluBackward(Tensor dh, Tensor gate, Tensor up, Tensor dgate, Tensor dup)
    {
        var t = Stopwatch.GetTimestamp();
        inner.SwiGluBackward(dh, gate, up, dgate, dup);
        profile.Op("swiglu bwd", t);
    }

    public CrossEntropyStats CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, Tensor losses)
    {
        var t = Stopwatch.GetTimestamp();
        var stats = inner.CrossEntropy(logits, targets, losses);
        profile.Op("cross-entropy", t);
        return stats;
    }

    public void CrossEntropyBackward(Tensor logits, ReadOnlySpan<int> targets, Tensor dlogits, float scale)
    {
        var t = Stopwatch.GetTimestamp();
        inner.CrossEntropyBackward(logits, targets, dlogits, scale);
        profile.Op("cross-entropy bwd", t);
    }

    public void TokenLogProbs(Tensor logits, ReadOnlySpan<int> targets, Tensor logp)
    {
        var t = Stopwatch.GetTimestamp();
        inner.TokenLogProbs(logits, targets, logp);
        profile.Op("token log-probs", t);
    }

    public void TokenLogProbsBackward(Tensor logits, ReadOnlySpan<int> targets, Tensor dlogp, Tensor dlogits)
    {
        var t = Stopwatch.GetTimestamp();
        inner.TokenLogProbsBackward(logits, targets, dlogp, dlogits);
        profile.Op("token log-probs bwd", t);
    }

    public void Add(Tensor a, Tensor b, Tensor y)
    {
        var t = Stopwatch.GetTimestamp();
        inner.Add(a, b, y);
        profile.Op("add", t);
    }

    public void AddScaled(Tensor y, Tensor x, float alpha)
    {
        var t = Stopwatch.GetTimestamp();
        inner.AddScaled(y, x, alpha);
        profile.Op("add-scaled", t);
    }

    public void Scale(Tensor x, float alpha, Tensor y)
    {
        var t = Stopwatch.GetTimestamp();
        inner.Scale(x, alpha, y);
        profile.Op("scale", t);
    }

    public void Multiply(Tensor x, Tensor mask, Tensor y)
    {
        var t = Stopwatch.GetTimestamp();
        inner.Multiply(x, mask, y);
        profile.Op("multiply", t);
    }

    public void Copy(Tensor source, Tensor destination)
    {
        var t = Stopwatch.GetTimestamp();
        inner.Copy(source, destination);
        profile.Op("copy", t);
    }

    public void Zero(Tensor x)
    {
        var t = Stopwatch.GetTimestamp();
        inner.Zero(x);
        profile.Op("zero", t);
    }
}
