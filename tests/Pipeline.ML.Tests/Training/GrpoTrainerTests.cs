using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Data;
using Pipeline.ML.Tests.Models;
using Pipeline.ML.Tests.Tasks;
using Pipeline.ML.Training;

namespace Pipeline.ML.Tests.Training;

/// <summary>GRPO's trainer habits on the addition task's SFT model: finite loss, what changes and what must not, metric names, exact resume.</summary>
public sealed class GrpoTrainerTests
{
    private static GrpoOptions Options(long steps, double beta = 0.02) => new()
    {
        Training = new TrainingOptions
        {
            MaxSteps = steps, BatchSize = 16, GradientAccumulationSteps = 2, LearningRate = 3e-4, WeightDecay = 0, LoggingSteps = 1, Seed = 5,
        },
        NumGenerations = 4, MaxCompletionLength = 4, StopTokenIds = [AdditionTask.EndToken], Beta = beta,
    };

    private static GrpoTrainer Trainer(LlamaModel model, GrpoOptions options, string? outputDir = null) =>
        new(model, ByteTokenizer.Instance, options, AdditionTask.Prompts(AdditionTask.Train), [new LastIntegerReward()],
            AdditionTask.Prompts(AdditionTask.HeldOut))
        {
            OutputDir = outputDir,
        };

    private static LlamaModel WithAdapter(LlamaModel model)
    {
        var adapter = LoraAdapter.Create("grpo", new LoraConfig { R = 4, Alpha = 8, Dropout = 0.1, Targets = LoraTarget.All }, model.Config, 3);
        model.AddAdapter(adapter);
        model.SetActiveAdapter("grpo");
        adapter.SetTrainable(true);
        return model;
    }

    [Fact]
    public void Train_FullWeightsWithKl_LossFiniteAndEveryWeightChanges()
    {
        var model = AdditionTask.LoadSft();
        model.SetBaseTrainable(true);
        var before = model.BaseParameters.Select(p => p.Value.Span.ToArray()).ToList();

        var result = Trainer(model, Options(3)).Train();

        var train = result.History.Where(h => h.Values.ContainsKey("loss")).ToList();
        Assert.Equal(3, train.Count);
        Assert.All(train, h => Assert.True(double.IsFinite(h.Values["loss"]) && double.IsFinite(h.Values["kl"])));
        Assert.Equal(0.0, train[0].Values["kl"], 6);    // the first update's policy is the reference
        Assert.True(train[^1].Values["kl"] > 0);
        foreach (var (p, old) in model.BaseParameters.Zip(before))
        {
            Assert.False(p.Value.Span.SequenceEqual(old), $"{p.Name} did not change");
        }
    }

    [Fact]
    public void Train_LoraWithKl_EveryAdapterWeightChangesAndEveryBaseWeightIsBitIdentical()
    {
        var model = WithAdapter(AdditionTask.LoadSft());
        var baseBefore = model.BaseParameters.Select(p => p.Value.Span.ToArray()).ToList();
        var adapter = model.ActiveAdapter!;
        var adapterBefore = adapter.Parameters.Select(p => p.Value.Span.ToArray()).ToList();

        var result = Trainer(model, Options(3) with { Training = Options(3).Training with { LearningRate = 3e-3 } }).Train();

        Assert.All(result.History.Where(h => h.Values.ContainsKey("loss")), h => Assert.True(double.IsFinite(h.Values["loss"])));
        Assert.True(result.History.Last(h => h.Values.ContainsKey("kl")).Values["kl"] > 0, "the adapter-less reference should drift from the policy");
        Assert.Equal("grpo", model.ActiveAdapter?.Name);
        foreach (var (p, old) in model.BaseParameters.Zip(baseBefore))
        {
            Assert.True(p.Value.Span.SequenceEqual(old), $"frozen {p.Name} changed");
        }
        foreach (var (p, old) in adapter.Parameters.Zip(adapterBefore))
        {
            Assert.False(p.Value.Span.SequenceEqual(old), $"adapter weight {p.Name} did not change");
        }
    }

    [Fact]
    public void Train_LogsTrlMetricNames_AndEvalReward()
    {
        var model = AdditionTask.LoadSft();
        model.SetBaseTrainable(true);

        var result = Trainer(model, Options(1)).Train();

        var row = result.History[0].Values;
        foreach (var name in new[]
        {
            "loss", "reward", "reward_std", "rewards/last_integer/mean", "rewards/last_integer/std", "frac_reward_zero_std", "kl",
            "clip_ratio/low_mean", "clip_ratio/high_mean", "clip_ratio/region_mean", "completions/mean_length", "completions/min_length",
            "completions/max_length", "completions/clipped_ratio", "grad_norm", "learning_rate", "num_tokens", "epoch",
            "rollout_tokens_per_second", "tokens_per_second",
        })
        {
            Assert.True(row.ContainsKey(name), $"no {name} in {string.Join(", ", row.Keys)}");
        }
        Assert.InRange(row["reward"], 0, 1);
        Assert.Equal(0.0, row["clip_ratio/region_mean"]);    // μ = 1: ρ = 1 at the single update
        Assert.InRange(row["completions/mean_length"], 1, 4);
        var eval = result.History[^1].Values;
        Assert.InRange(eval["eval_reward"], 0, 1);
        Assert.Equal(eval["eval_reward"], eval["eval_rewards/last_integer/mean"]);
    }

    [Fact]
    public void Train_NumIterationsTwo_SamplesEveryOtherStepAndClipsOnTheSecondUpdate()
    {
        var model = AdditionTask.LoadSft();
        model.SetBaseTrainable(true);
        var options = Options(4, beta: 0) with { NumIterations = 2, Epsilon = 0.01 };

        var result = Trainer(model, options with { Training = options.Training with { LearningRate = 3e-3 } }).Train();

        var train = result.History.Where(h => h.Values.ContainsKey("loss")).ToList();
        Assert.Equal([true, false, true, false], train.Select(h => h.Values.ContainsKey("reward")));
        Assert.Equal(0.0, train[0].Values["clip_ratio/region_mean"]);    // π_old is the policy that sampled
        Assert.True(train[1].Values["clip_ratio/region_mean"] > 0, "after one update some ratios should leave [0.99, 1.01]");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resume_FromMidRunCheckpoint_SamplesAndTrainsExactlyAsAnUninterruptedRun(bool lora)
    {
        var options = Options(6) with { Training = Options(6).Training with { SaveSteps = 3, SaveTotalLimit = 0 } };
        LlamaModel Fresh()
        {
            var model = AdditionTask.LoadSft();
            if (lora)
            {
                return WithAdapter(model);
            }
            model.SetBaseTrainable(true);
            return model;
        }

        var dir = TinyModels.TempDir();
        var straightModel = Fresh();
        var straight = Trainer(straightModel, options, dir).Train();

        var resumedModel = Fresh();
        var resumed = Trainer(resumedModel, options);
        TrainerCheckpoint.Resume(resumed, Path.Combine(dir, "checkpoint-3"));
        Assert.Equal(3, resumed.Step);
        var tail = resumed.Train();

        static IEnumerable<(long, double, double, double)> Key(TrainingResult r) => r.History
            .Where(h => h.Step > 3 && h.Values.ContainsKey("loss"))
            .Select(h => (h.Step, h.Values["reward"], h.Values["loss"], h.Values["grad_norm"]));
        Assert.Equal(Key(straight), Key(tail));
        foreach (var (a, b) in straightModel.TrainableParameters.Zip(resumedModel.TrainableParameters))
        {
            Assert.True(a.Value.Span.SequenceEqual(b.Value.Span), $"{a.Name} differs after resume");
        }
    }

    [Fact]
    public void Constructor_BatchNotAMultipleOfTheGroup_ThrowsNamingBoth()
    {
        var model = AdditionTask.LoadSft();
        model.SetBaseTrainable(true);
        var options = Options(1) with { NumGenerations = 3 };

        var e = Assert.Throws<ArgumentException>(() => Trainer(model, options));
        Assert.Contains("num_generations (3)", e.Message);
    }

    [Fact]
    public void Constructor_RewardWeightsOfTheWrongCount_Throws()
    {
        var model = AdditionTask.LoadSft();
        model.SetBaseTrainable(true);

        Assert.Throws<ArgumentException>(() => Trainer(model, Options(1) with { RewardWeights = [1.0, 2.0] }));
    }
}
