using Pipeline.ML.Models;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Rewards;

/// <summary>
/// The buffers one reward-model step over a (B, T) batch needs: the backbone's (without the (N, V) logits), the
/// score head's per-token output and its gradient, and the B rewards read from it.
/// </summary>
public sealed class RewardActivations
{
    public RewardActivations(LlamaConfig config, int batch, int seqLen)
    {
        Backbone = new LlamaActivations(config, batch, seqLen, logits: false);
        Scores = new Tensor(batch * seqLen, 1);
        DScores = new Tensor(batch * seqLen, 1);
        Rewards = new float[batch];
    }

    public LlamaActivations Backbone { get; }

    public Tensor Scores { get; }    // (N, 1) score(final_norm) at every token, as HF computes before pooling

    public Tensor DScores { get; }   // (N, 1) non-zero only at each row's last token

    public float[] Rewards { get; }  // (B) the score at each row's last real token

    public int Batch => Backbone.Batch;

    public int SeqLen => Backbone.SeqLen;

    public bool Fits(RewardBatch batch) => Backbone.Fits(batch.Tokens);
}
