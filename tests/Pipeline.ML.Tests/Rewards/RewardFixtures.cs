using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Models;

namespace Pipeline.ML.Tests.Rewards;

/// <summary>Tiny reward models and a synthetic preference task for the reward tests.</summary>
internal static class RewardFixtures
{
    public const int Marker = 1;

    /// <summary>TinyModels' config with random weights (std 0.2) and a head large enough that rewards differ visibly.</summary>
    public static RewardModel Model(ulong seed = 1, bool tied = false, LlamaConfig? config = null)
    {
        var model = new RewardModel(config ?? TinyModels.Config(tied));
        model.Backbone.InitializeWeights(seed, std: 0.2);
        model.InitializeHead(seed + 100, std: 0.5);
        return model;
    }

    /// <summary>
    /// Prompts of 2–4 tokens; the chosen completion (2–5 tokens) contains <see cref="Marker"/> somewhere, the rejected
    /// one (2–5 tokens) never does. Ids 3..V−1 elsewhere.
    /// </summary>
    public static List<RewardPair> MarkerPairs(int count, int vocab, int seed)
    {
        var rng = new Random(seed);
        int[] Tokens(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(3, vocab)).ToArray();
        return Enumerable.Range(0, count).Select(_ =>
        {
            var prompt = Tokens(rng.Next(2, 5));
            var chosen = Tokens(rng.Next(2, 6));
            chosen[rng.Next(chosen.Length)] = Marker;
            return new RewardPair(prompt, chosen, Tokens(rng.Next(2, 6)));
        }).ToList();
    }
}
