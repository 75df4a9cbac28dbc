using Pipeline.ML.Compute;
using Pipeline.ML.Generation;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Models;

public sealed partial class LlamaModel
{
    private readonly Dictionary<(int Rows, int Batch), InferenceBuffers> _inference = [];

    /// <summary>
    /// Runs Tq new tokens per sequence through the model against <paramref name="cache"/> (which grows by Tq) and
    /// returns the next-token logits of each sequence's last new token: (B, V). ids, positions: (B·Tq);
    /// keyStart: (B) first non-padding position of each row.
    /// </summary>
    public Tensor ForwardCached(int[] ids, int[] positions, int[] keyStart, KvCache cache, int queries)
    {
        var c = Config;
        var ops = Ops;
        int batch = cache.Batch, past = cache.Length, rows = batch * queries;
        if (ids.Length != rows || positions.Length != rows || keyStart.Length != batch)
        {
            throw new ArgumentException($"cached forward: {ids.Length} ids / {positions.Length} positions for {batch}×{queries} tokens");
        }
        if (past + queries > cache.Capacity)
        {
            throw new ArgumentException($"cached forward: {past + queries} positions exceed the cache's {cache.Capacity}");
        }
        if (positions.Any(p => (uint)p >= (uint)c.MaxPositionEmbeddings))
        {
            throw new ArgumentException($"a position is outside [0, max_position_embeddings={c.MaxPositionEmbeddings})");
        }
        if (ids.Any(id => (uint)id >= (uint)c.VocabSize))
        {
            throw new ArgumentException($"a token id is outside the vocabulary [0, {c.VocabSize})");
        }
        if (!_inference.TryGetValue((rows, batch), out var buf))
        {
            _inference[(rows, batch)] = buf = new InferenceBuffers(c, rows, batch);
        }
        var shape = new AttentionShape(batch, cache.Capacity, c.NumAttentionHeads, c.NumKeyValueHeads, c.HeadDim);
        var eps = (float)c.RmsNormEps;
        ops.Embedding(ids, Embed.Value, buf.X);
        for (var l = 0; l < Layers.Length; l++)
        {
            var w = Layers[l];
            ops.RmsNorm(buf.X, w.InputNorm.Value, buf.Norm, buf.Rstd, eps);
            w.Q.Forward(ops, buf.Norm, buf.Q, buf.Lora, null);
            w.K.Forward(ops, buf.Norm, buf.K, buf.Lora, null);
            w.V.Forward(ops, buf.Norm, buf.V, buf.Lora, null);
            ops.Rope(buf.Q, positions, Rope, c.NumAttentionHeads);
            ops.Rope(buf.K, positions, Rope, c.NumKeyValueHeads);
            ops.WriteCache(buf.K, cache.Keys[l], queries, past);
            ops.WriteCache(buf.V, cache.Values[l], queries, past);
            ops.CachedAttention(buf.Q, cache.Keys[l], cache.Values[l], buf.Attn, keyStart, queries, past, shape);
            w.O.Forward(ops, buf.Attn, buf.Out, buf.Lora, null);
            ops.AddScaled(buf.X, buf.Out, 1f);
            ops.RmsNorm(buf.X, w.PostNorm.Value, buf.Norm, buf.Rstd, eps);
            w.Gate.Forward(ops, buf.Norm, buf.Gate, buf.Lora, null);
            w.Up.Forward(ops, buf.Norm, buf.Up, buf.Lora, null);
            ops.SwiGlu(buf.Gate, buf.Up, buf.Hidden);
            w.Down.Forward(ops, buf.Hidden, buf.Out, buf.Lora, null);
            ops.AddScaled(buf.X, buf.Out, 1f);
        }
        cache.Length = past + queries;
        // Only each row's last token needs logits: gather those rows before the final norm and lm_head.
        for (var b = 0; b < batch; b++)
        {
            buf.X.Span.Slice(((b + 1) * queries - 1) * c.HiddenSize, c.HiddenSize).CopyTo(buf.Last.Span.Slice(b * c.HiddenSize, c.HiddenSize));
        }
        ops.RmsNorm(buf.Last, Norm.Value, buf.LastNorm, buf.LastRstd, eps);
        ops.Linear(buf.LastNorm, OutputWeight.Value, buf.Logits);
        return buf.Logits;
    }

    /// <summary>Scratch for <see cref="ForwardCached"/>, one set per (rows, batch) shape: prefill and decode reuse theirs.</summary>
    private sealed class InferenceBuffers(LlamaConfig c, int rows, int batch)
    {
        public Tensor X { get; } = new(rows, c.HiddenSize);

        public Tensor Norm { get; } = new(rows, c.HiddenSize);

        public Tensor Rstd { get; } = new(rows);

        public Tensor Q { get; } = new(rows, c.NumAttentionHeads * c.HeadDim);

        public Tensor K { get; } = new(rows, c.NumKeyValueHeads * c.HeadDim);

        public Tensor V { get; } = new(rows, c.NumKeyValueHeads * c.HeadDim);

        public Tensor Attn { get; } = new(rows, c.NumAttentionHeads * c.HeadDim);

        public Tensor Out { get; } = new(rows, c.HiddenSize);

        public Tensor Gate { get; } = new(rows, c.IntermediateSize);

        public Tensor Up { get; } = new(rows, c.IntermediateSize);

        public Tensor Hidden { get; } = new(rows, c.IntermediateSize);

        public Tensor Last { get; } = new(batch, c.HiddenSize);

        public Tensor LastNorm { get; } = new(batch, c.HiddenSize);

        public Tensor LastRstd { get; } = new(batch);

        public Tensor Logits { get; } = new(batch, c.VocabSize);

        public ProjectionCache Lora { get; } = new();
    }
}
