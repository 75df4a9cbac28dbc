namespace Pipeline.ML.Models;

public sealed partial class LlamaModel
{
    /// <summary>
    /// Backpropagates acts.DLogits (set by <see cref="Loss"/> or by a caller's own loss) through the forward pass
    /// last run on <paramref name="batch"/>, ACCUMULATING into the gradients of the trainable parameters (so
    /// micro-batches accumulate; call <see cref="ZeroGrad"/> to start a step).
    /// </summary>
    public void Backward(TokenBatch batch, LlamaActivations acts)
    {
        // Forward already checked the batch's ids and positions; only the pairing with these activations is left.
        CheckFits(batch, acts);
        // logits = final_norm · Wᵀ: dFinalNorm = dLogits·W, dW += dLogitsᵀ·final_norm.
        Ops.Zero(acts.DNorm);
        Ops.LinearBackward(acts.DLogits, acts.FinalNorm, OutputWeight.Value, acts.DNorm, OutputWeight.Grad);
        BackwardHidden(batch, acts);
    }

    /// <summary>
    /// Backpropagates acts.DNorm, read as d(loss)/d(final_norm) (N, C), through <see cref="ForwardHidden"/>'s pass:
    /// the entry for heads other than lm_head. Accumulates like <see cref="Backward"/>; acts.DNorm is overwritten.
    /// </summary>
    public void BackwardHidden(TokenBatch batch, LlamaActivations acts)
    {
        CheckFits(batch, acts);
        var c = Config;
        var ops = Ops;
        var shape = new Compute.AttentionShape(batch.Batch, batch.SeqLen, c.NumAttentionHeads, c.NumKeyValueHeads, c.HeadDim);

        ops.Zero(acts.DResid);
        ops.RmsNormBackward(acts.DNorm, acts.FinalInput, Norm.Value, acts.FinalRstd, acts.DResid, Norm.Grad);

        // Below, DResid holds d(loss)/d(layer output), becomes d(loss)/d(mid) and then d(loss)/d(layer input).
        var needEmbedGrad = Embed.Trainable;
        for (var l = Layers.Length - 1; l >= 0; l--)
        {
            var w = Layers[l];
            var a = acts.Layers[l];

            // MLP block, backwards: out = mid + down(silu(gate) ⊙ up).
            ops.Zero(acts.DHidden);
            w.Down.Backward(ops, acts.DResid, a.Hidden, acts.DHidden, a.Lora[6]);
            ops.Zero(acts.DGate);
            ops.Zero(acts.DUp);
            ops.SwiGluBackward(acts.DHidden, a.Gate, a.Up, acts.DGate, acts.DUp);
            ops.Zero(acts.DNorm);
            w.Gate.Backward(ops, acts.DGate, a.Norm2, acts.DNorm, a.Lora[4]);
            w.Up.Backward(ops, acts.DUp, a.Norm2, acts.DNorm, a.Lora[5]);
            // dMid = dOut (residual path) + RMSNorm backward of the MLP branch, accumulated in place: dOut is not
            // read again, so DResid becomes dMid (same sums as copying it to a buffer of its own first, no copy).
            ops.RmsNormBackward(acts.DNorm, a.Mid, w.PostNorm.Value, a.Rstd2, acts.DResid, w.PostNorm.Grad);

            // Attention block, backwards: mid = x + o(attn(rope(q), rope(k), v)).
            ops.Zero(acts.DAttn);
            w.O.Backward(ops, acts.DResid, a.AttnOut, acts.DAttn, a.Lora[3]);
            ops.Zero(acts.DQ);
            ops.Zero(acts.DK);
            ops.Zero(acts.DV);
            ops.AttentionBackward(acts.DAttn, a.Q, a.K, a.V, a.Probs, batch.DocStart, acts.DQ, acts.DK, acts.DV, shape);
            ops.RopeBackward(acts.DQ, batch.Positions, Rope, c.NumAttentionHeads);
            ops.RopeBackward(acts.DK, batch.Positions, Rope, c.NumKeyValueHeads);

            // Layer 0's input gradient only feeds the embedding; skip it when nothing upstream learns.
            var needInputGrad = l > 0 || needEmbedGrad || w.InputNorm.Trainable;
            if (!needInputGrad)
            {
                w.Q.Backward(ops, acts.DQ, a.Norm1, null, a.Lora[0]);
                w.K.Backward(ops, acts.DK, a.Norm1, null, a.Lora[1]);
                w.V.Backward(ops, acts.DV, a.Norm1, null, a.Lora[2]);
                return;
            }
            ops.Zero(acts.DNorm);
            w.Q.Backward(ops, acts.DQ, a.Norm1, acts.DNorm, a.Lora[0]);
            w.K.Backward(ops, acts.DK, a.Norm1, acts.DNorm, a.Lora[1]);
            w.V.Backward(ops, acts.DV, a.Norm1, acts.DNorm, a.Lora[2]);
            // dInput = dMid (residual path) + RMSNorm backward of the attention branch, again in place.
            ops.RmsNormBackward(acts.DNorm, a.Input, w.InputNorm.Value, a.Rstd1, acts.DResid, w.InputNorm.Grad);
        }
        if (needEmbedGrad)
        {
            ops.EmbeddingBackward(batch.InputIds, acts.DResid, Embed.Grad!);
        }
    }
}
