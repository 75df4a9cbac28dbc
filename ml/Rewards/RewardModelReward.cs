using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Rewards;

/// <summary>
/// A trained reward model as a reward function (for GRPO, and for labeling preference pairs): each input's prompt
/// and completion are encoded separately and concatenated — the row <see cref="RewardPair"/> builds in training — and
/// scored in batches. <paramref name="eosTokenId"/>, when given, ends every completion that does not already end with
/// it: set it when the training rows ended with EOS. A row longer than max_position_embeddings keeps its last tokens
/// (the prompt's start is cut): the reward is read at the end.
/// </summary>
public sealed class RewardModelReward(
    RewardModel model, ByteLevelBpeTokenizer tokenizer, int? eosTokenId = null, int batchSize = 16, string name = "reward_model") : IRewardFunction
{
    public string Name => name;

    public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> inputs)
    {
        if (inputs.Count == 0)
        {
            return [];
        }
        var rewards = model.Score(inputs.Select(Row).ToList(), batchSize);
        return rewards.Select(r => (double)r).ToList();
    }

    /// <summary>The token row the model scores for <paramref name="input"/>.</summary>
    public int[] Row(RewardInput input)
    {
        var completion = tokenizer.Encode(input.Completion);
        if (eosTokenId is { } eos && (completion.Length == 0 || completion[^1] != eos))
        {
            completion = [.. completion, eos];
        }
        int[] row = [.. tokenizer.Encode(input.Prompt), .. completion];
        if (row.Length == 0)
        {
            throw new ArgumentException($"prompt '{input.PromptId}': prompt and completion are both empty; there is no token to score");
        }
        var max = model.Config.MaxPositionEmbeddings;
        return row.Length <= max ? row : row[^max..];
    }
}
