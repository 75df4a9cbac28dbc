using Pipeline.ML.Compute;
using Pipeline.ML.Ops;

namespace Pipeline.ML.Models;

public sealed partial class LlamaModel
{
    /// <summary>
    /// Runs the model on <paramref name="batch"/>, filling <paramref name="acts"/> (logits in acts.Logits).
    /// <paramref name="dropoutRng"/> turns LoRA dropout on (training); null is evaluation.
    /// </summary>
    public void Forward(TokenBatch batch, LlamaActivations acts, Rng? dropoutRng = null)
    {
        ForwardHidden(batch, acts, dropoutRng);
        Ops.Linear(acts.FinalNorm, OutputWeight.Value, acts.Logits);
    }

    /// <summary>
    /// The decoder without lm_head: fills acts.FinalNorm (N, C) with the final-norm hidden states — what a head of
    /// another shape (a reward model's score) reads. Activations made without logits are enough.
    /// </summary>
    public void ForwardHidden(TokenBatch batch, LlamaActivations acts, Rng? dropoutRng = null)
    {
        CheckBatch(batch, acts);
        var c = Config;
        var ops = Ops;
        var shape = new AttentionShape(batch.Batch, batch.SeqLen, c.NumAttentionHeads, c.NumKeyValueHeads, c.HeadDim);
        var eps = (float)c.RmsNormEps;
        ops.Embedding(batch.InputIds, Embed.Value, acts.Layers[0].Input);
        for (var l = 0; l < Layers.Length; l++)
        {
            var w = Layers[l];
            var a = acts.Layers[l];
            var next = l + 1 < Layers.Length ? acts.Layers[l + 1].Input : acts.FinalInput;
            // Attention block: mid = x + o_proj(attn(rope(q), rope(k), v)) over input_layernorm(x).
            ops.RmsNorm(a.Input, w.InputNorm.Value, a.Norm1, a.Rstd1, eps);
            w.Q.Forward(ops, a.Norm1, a.Q, a.Lora[0], dropoutRng);
            w.K.Forward(ops, a.Norm1, a.K, a.Lora[1], dropoutRng);
            w.V.Forward(ops, a.Norm1, a.V, a.Lora[2], dropoutRng);
            ops.Rope(a.Q, batch.Positions, Rope, c.NumAttentionHeads);
            ops.Rope(a.K, batch.Positions, Rope, c.NumKeyValueHeads);
            ops.Attention(a.Q, a.K, a.V, a.AttnOut, a.Probs, batch.DocStart, shape);
            w.O.Forward(ops, a.AttnOut, acts.Scratch, a.Lora[3], dropoutRng);
            ops.Add(a.Input, acts.Scratch, a.Mid);
            // MLP block: out = mid + down_proj(silu(gate_proj(h)) ⊙ up_proj(h)), h = post_attention_layernorm(mid).
            ops.RmsNorm(a.Mid, w.PostNorm.Value, a.Norm2, a.Rstd2, eps);
            w.Gate.Forward(ops, a.Norm2, a.Gate, a.Lora[4], dropoutRng);
            w.Up.Forward(ops, a.Norm2, a.Up, a.Lora[5], dropoutRng);
            ops.SwiGlu(a.Gate, a.Up, a.Hidden);
            w.Down.Forward(ops, a.Hidden, acts.Scratch, a.Lora[6], dropoutRng);
            ops.Add(a.Mid, acts.Scratch, next);
        }
        ops.RmsNorm(acts.FinalInput, Norm.Value, acts.FinalNorm, acts.FinalRstd, eps);
    }

    /// <summary>
    /// Mean cross-entropy over the batch's non-ignored targets (HF's causal-LM loss). Also sets acts.DLogits to
    /// d(loss)/d(logits) ready for <see cref="Backward"/>; with no target at all the loss is 0 and so is the gradient.
    /// </summary>
    public CrossEntropyStats Loss(TokenBatch batch, LlamaActivations acts, float lossScale = 1f)
    {
        var stats = Ops.CrossEntropy(acts.Logits, batch.Targets, acts.Losses);
        Ops.Zero(acts.DLogits);
        if (stats.Count > 0)
        {
            Ops.CrossEntropyBackward(acts.Logits, batch.Targets, acts.DLogits, lossScale / stats.Count);
        }
        return stats;
    }

    private static void CheckFits(TokenBatch batch, LlamaActivations acts)
    {
        if (!acts.Fits(batch))
        {
            throw new ArgumentException(
                $"activations are for batches of ({acts.Batch}, {acts.SeqLen}) but the batch is ({batch.Batch}, {batch.SeqLen})");
        }
    }

    private void CheckBatch(TokenBatch batch, LlamaActivations acts)
    {
        CheckFits(batch, acts);
        var maxPos = Config.MaxPositionEmbeddings;
        for (var i = 0; i < batch.Rows; i++)
        {
            var id = batch.InputIds[i];
            if ((uint)id >= (uint)Config.VocabSize)
            {
                throw new ArgumentException(
                    $"input_ids[{i / batch.SeqLen}][{i % batch.SeqLen}] = {id} is outside the vocabulary [0, {Config.VocabSize})");
            }
            if ((uint)batch.Positions[i] >= (uint)maxPos)
            {
                throw new ArgumentException(
                    $"position {batch.Positions[i]} at [{i / batch.SeqLen}][{i % batch.SeqLen}] is outside [0, max_position_embeddings={maxPos})");
            }
        }
    }
}
