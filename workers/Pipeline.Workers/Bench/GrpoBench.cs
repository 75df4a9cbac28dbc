using Pipeline.ML.Compute;
using Pipeline.ML.Data;
using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tokenization;
using Pipeline.ML.Training;

namespace Pipeline.Workers.Bench;

/// <summary>
/// Our side of `pipeline bench grpo`: GrpoTrainer on a bench config's model (random weights, all weights trained), with
/// random prompts of <c>prompt</c> tokens, G = 8 and completions running to the context length (no stop token, so
/// every row is as long as an SFT row of the same config: Batch rows of Context tokens per micro-batch). Per step it
/// reads the trainer's own rollout_tokens_per_second (generated tokens / sampling time) and tokens_per_second
/// (prompt + completion tokens / update time); after warm-up steps, the medians. The SFT reference is
/// <see cref="TrainBench"/>'s full fine-tune step on the same config, measured in the same process.
/// </summary>
public static class GrpoBench
{
    public const int Generations = 8;

    public static GrpoBenchResult Run(MlBenchConfig config, int prompt, int warmup, int steps, double beta, ulong seed)
    {
        var model = new LlamaModel(config.ToLlama());
        model.InitializeWeights(seed);
        model.SetBaseTrainable(true);
        var rng = new Rng(seed + 5);
        var prompts = Enumerable.Range(0, 64).Select(i => new PromptExample(
            $"p{i}", "", [.. Enumerable.Range(0, prompt).Select(_ => rng.NextInt(config.Vocab))], null, new Dictionary<string, string>(), i)).ToList();
        var options = new GrpoOptions
        {
            Training = new TrainingOptions
            {
                MaxSteps = warmup + steps, BatchSize = config.Batch, LearningRate = TrainBench.LearningRate, WeightDecay = 0.1,
                MaxGradNorm = TrainBench.MaxGradNorm, LoggingSteps = 1, Seed = seed,
            },
            NumGenerations = Generations, MaxCompletionLength = config.Context - prompt, Beta = beta,
        };
        var rows = new List<TrainingLog>();
        new GrpoTrainer(model, Tokenizer(config.Vocab), options, prompts, [new ParityReward()]) { OnLog = rows.Add }.Train();
        var timed = rows.Skip(warmup).ToList();
        return new GrpoBenchResult(
            config.Name, Generations, config.Batch / Generations, prompt, config.Context - prompt, beta, warmup, steps,
            TrainBench.Median([.. timed.Select(r => r.Values["rollout_tokens_per_second"])]),
            TrainBench.Median([.. timed.Select(r => r.Values["tokens_per_second"])]),
            timed.Average(r => r.Values["completions/mean_length"]));
    }

    // Token b is byte b (b < 128), no merges: enough to decode completions for a reward. Symbols follow GPT-2's
    // byte-to-unicode table: printable ASCII stands for itself, other bytes for 256, 257, … in byte order.
    private static ByteLevelBpeTokenizer Tokenizer(int vocab)
    {
        var symbols = new Dictionary<string, int>();
        var shifted = 0;
        for (var b = 0; b < vocab; b++)
        {
            var c = b is >= '!' and <= '~' ? (char)b : (char)(256 + shifted++);
            symbols[c.ToString()] = b;
        }
        return new ByteLevelBpeTokenizer(symbols, [], []);
    }

    /// <summary>A cheap rule-based reward with spread within a group: 1 when the completion's character codes sum to an even number.</summary>
    private sealed class ParityReward : IRewardFunction
    {
        public string Name => "parity";

        public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> inputs) =>
            [.. inputs.Select(i => i.Completion.Sum(c => (int)c) % 2 == 0 ? 1.0 : 0.0)];
    }
}
