using Pipeline.ML.Compute;
using Pipeline.ML.Models;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Rewards;

/// <summary>
/// A scalar reward model as HF's LlamaForSequenceClassification with num_labels = 1: the LLaMA decoder without
/// lm_head, and a bias-free linear <c>score</c> head (weight (1, C), named score.weight) applied to the final-norm
/// hidden state; a row's reward is the head's output at its last real token. The backbone can carry a LoRA
/// adapter while the head trains in full (PEFT's modules_to_save).
/// </summary>
public sealed class RewardModel
{
    public const string HeadName = "score.weight";

    public RewardModel(LlamaConfig config, ITensorOps? ops = null)
    {
        config.Validate();
        Config = config;
        // The sequence classifier has no lm_head. A tied backbone is exactly that (LmHead null, and the embedding is
        // only read as the input table since nothing here computes logits), without a new flag on LlamaModel.
        Backbone = new LlamaModel(config with { TieWordEmbeddings = true }, ops);
        Head = new Parameter(HeadName, new Tensor(1, config.HiddenSize));
        Head.SetTrainable(true);
    }

    /// <summary>The config as given (and saved): its tie_word_embeddings is kept for the causal LM it came from.</summary>
    public LlamaConfig Config { get; }

    public LlamaModel Backbone { get; }

    /// <summary>score.weight (1, C).</summary>
    public Parameter Head { get; }

    /// <summary>HF config's pad_token_id, saved for HF's pooling; ours reads row lengths instead (<see cref="RewardBatch"/>).</summary>
    public int? PadTokenId { get; set; }

    public ITensorOps Ops => Backbone.Ops;

    /// <summary>Backbone weights then the head, in HF state-dict order.</summary>
    public IEnumerable<Parameter> BaseParameters => Backbone.BaseParameters.Append(Head);

    /// <summary>Whatever has a gradient: the backbone's trainable weights (base or adapter) and the head.</summary>
    public IEnumerable<Parameter> TrainableParameters =>
        Head.Trainable ? Backbone.TrainableParameters.Append(Head) : Backbone.TrainableParameters;

    /// <summary>HF's init of a new head (<c>_init_weights</c>): normal(0, initializer_range = 0.02 by default).</summary>
    public void InitializeHead(ulong seed, double std = 0.02)
    {
        var rng = new Rng(seed);
        var span = Head.Value.Span;
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (float)(rng.NextGaussian() * std);
        }
    }

    public void ZeroGrad()
    {
        foreach (var p in TrainableParameters)
        {
            Ops.Zero(p.Grad!);
        }
    }

    public RewardActivations CreateActivations(int batch, int seqLen) => new(Config, batch, seqLen);

    /// <summary>Fills acts.Rewards (B) with each row's reward. <paramref name="dropoutRng"/> turns LoRA dropout on.</summary>
    public void Forward(RewardBatch batch, RewardActivations acts, Rng? dropoutRng = null)
    {
        CheckFits(batch, acts);
        Backbone.ForwardHidden(batch.Tokens, acts.Backbone, dropoutRng);
        // Scores at every token, as HF does before pooling: (N, C)·(1, C)ᵀ is N·C work, nothing next to the decoder.
        Ops.Linear(acts.Backbone.FinalNorm, Head.Value, acts.Scores);
        // B values read back on the host (as CompletionLogProbs reads log-probs): a device backend copies B floats.
        var scores = acts.Scores.Span;
        for (var b = 0; b < batch.Batch; b++)
        {
            acts.Rewards[b] = scores[LastToken(batch, b)];
        }
    }

    /// <summary>
    /// Backpropagates d(loss)/d(reward) (B) through the last <see cref="Forward"/>, ACCUMULATING into the gradients of
    /// the trainable parameters. The backbone is skipped when nothing in it learns (a linear probe on frozen features).
    /// </summary>
    public void Backward(RewardBatch batch, RewardActivations acts, ReadOnlySpan<float> dRewards)
    {
        CheckFits(batch, acts);
        if (dRewards.Length != batch.Batch)
        {
            throw new ArgumentException($"{dRewards.Length} reward gradients for a batch of {batch.Batch} rows");
        }
        var dScores = acts.DScores.Span;
        dScores.Clear();
        for (var b = 0; b < batch.Batch; b++)
        {
            dScores[LastToken(batch, b)] = dRewards[b];
        }
        var hidden = acts.Backbone;
        var backboneLearns = Backbone.TrainableParameters.Any();
        // scores = final_norm · Wᵀ: dFinalNorm = dScores·W, dW += dScoresᵀ·final_norm.
        Ops.Zero(hidden.DNorm);
        Ops.LinearBackward(acts.DScores, hidden.FinalNorm, Head.Value, backboneLearns ? hidden.DNorm : null, Head.Grad);
        if (backboneLearns)
        {
            Backbone.BackwardHidden(batch.Tokens, hidden);
        }
    }

    /// <summary>Rewards of <paramref name="rows"/> in their order, in batches of rows of similar length, without dropout.</summary>
    public float[] Score(IReadOnlyList<int[]> rows, int batchSize = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var rewards = new float[rows.Count];
        // Longest first, so each batch pads to a length close to its rows' own.
        var order = Enumerable.Range(0, rows.Count).OrderByDescending(i => rows[i].Length).ToArray();
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var chunk = order.Skip(start).Take(batchSize).ToArray();
            var batch = RewardBatch.Create(chunk.Select(i => rows[i]).ToList(), PadTokenId ?? 0);
            var acts = CreateActivations(batch.Batch, batch.Tokens.SeqLen);
            Forward(batch, acts);
            for (var j = 0; j < chunk.Length; j++)
            {
                rewards[chunk[j]] = acts.Rewards[j];
            }
        }
        return rewards;
    }

    private static int LastToken(RewardBatch batch, int b) => b * batch.Tokens.SeqLen + batch.Lengths[b] - 1;

    private static void CheckFits(RewardBatch batch, RewardActivations acts)
    {
        if (!acts.Fits(batch))
        {
            throw new ArgumentException(
                $"activations are for batches of ({acts.Batch}, {acts.SeqLen}) but the batch is ({batch.Batch}, {batch.Tokens.SeqLen})");
        }
    }
}
