using System.Text.Json.Nodes;
using Pipeline.ML.Lora;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Models;
using Pipeline.ML.Tests.Rewards;
using Pipeline.ML.Training;
using Xunit.Abstractions;

namespace Pipeline.ML.Tests.Training;

public class RewardTrainerTests(ITestOutputHelper output)
{
    private static RewardTrainingOptions Options(long steps, double lr = 3e-3, int accumulation = 1) => new()
    {
        Training = new TrainingOptions
        {
            MaxSteps = steps, BatchSize = 8, GradientAccumulationSteps = accumulation, LearningRate = lr, WarmupSteps = Math.Min(5, steps),
            LoggingSteps = 10, EvalSteps = 0, Seed = 17,
        },
        CenterRewardsCoefficient = 0.01,
    };

    private static RewardModel HfInitModel()
    {
        // HF's init (normal(0, 0.02)) from scratch: nothing about the marker token is known before training.
        var model = new RewardModel(TinyModels.Config());
        model.Backbone.InitializeWeights(seed: 5, std: 0.02);
        model.InitializeHead(seed: 6);
        return model;
    }

    [Fact]
    public void Train_MarkerPreference_HeldOutAccuracyRisesFarAboveChance()
    {
        var model = HfInitModel();
        model.Backbone.SetBaseTrainable(true);
        var before = model.TrainableParameters.Select(p => p.Value.Span.ToArray()).ToList();
        var eval = RewardFixtures.MarkerPairs(64, 23, seed: 2);
        var trainer = new RewardTrainer(model, Options(80), RewardFixtures.MarkerPairs(256, 23, seed: 1), eval);
        var untrained = trainer.Evaluate().Values["eval_accuracy"];

        var result = trainer.Train();

        var final = result.History[^1].Values;
        output.WriteLine($"eval_accuracy {untrained:F3} -> {final["eval_accuracy"]:F3}, eval_margin {final["eval_margin"]:F2}, " +
            $"losses {string.Join(" ", result.History.Where(h => h.Values.ContainsKey("loss")).Select(h => h.Values["loss"].ToString("F3")))}");
        Assert.True(final["eval_accuracy"] >= 0.95, $"eval_accuracy {final["eval_accuracy"]} (untrained {untrained})");
        Assert.True(final["eval_margin"] > 1, $"eval_margin {final["eval_margin"]}");
        var losses = result.History.Where(h => h.Values.ContainsKey("loss")).Select(h => h.Values["loss"]).ToList();
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses[^1] < losses[0] / 3, $"losses {string.Join(", ", losses)}");
        foreach (var (p, old) in model.TrainableParameters.Zip(before))
        {
            Assert.False(p.Value.Span.SequenceEqual(old), $"{p.Name} did not change");
        }
        Assert.Equal(["loss", "accuracy", "margin", "mean_reward", "min_reward", "max_reward", "num_tokens", "learning_rate", "grad_norm", "epoch"],
            result.History[0].Values.Keys);
    }

    [Fact]
    public void Train_Lora_AdapterAndHeadChangeFrozenWeightsStayBitIdenticalAndTheCheckpointReloads()
    {
        var model = HfInitModel();
        var frozen = model.Backbone.BaseParameters.Select(p => p.Value.Span.ToArray()).ToList();
        var adapter = LoraAdapter.Create("rm", new LoraConfig { R = 4, Alpha = 8, Dropout = 0.1, Targets = LoraTarget.All }, model.Backbone.Config, 3);
        model.Backbone.AddAdapter(adapter);
        model.Backbone.SetActiveAdapter("rm");
        adapter.SetTrainable(true);
        var trainable = model.TrainableParameters.ToList();
        var before = trainable.Select(p => p.Value.Span.ToArray()).ToList();
        var dir = TinyModels.TempDir();
        try
        {
            var pairs = RewardFixtures.MarkerPairs(64, 23, seed: 1);
            var trainer = new RewardTrainer(model, Options(30, lr: 1e-2), pairs, RewardFixtures.MarkerPairs(16, 23, seed: 2)) { OutputDir = dir };

            var result = trainer.Train();

            Assert.Equal(2 * 7 * 2 + 1, trainable.Count); // A and B on 7 projections of 2 layers, and the head
            foreach (var (p, old) in trainable.Zip(before))
            {
                Assert.False(p.Value.Span.SequenceEqual(old), $"{p.Name} did not change");
            }
            foreach (var (p, old) in model.Backbone.BaseParameters.Zip(frozen))
            {
                Assert.True(p.Value.Span.SequenceEqual(old), $"frozen {p.Name} changed");
            }
            var reloaded = HfInitModel();
            RewardCheckpoint.LoadAdapter(reloaded, result.LastCheckpoint!);
            var rows = pairs.Take(5).Select(p => p.ChosenRow).ToList();
            Assert.Equal(model.Score(rows), reloaded.Score(rows));
            var metrics = File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal(result.History.Count, metrics.Count);
            Assert.Equal(30, metrics[^1]["step"]!.GetValue<long>());
            Assert.True(metrics[^1].ContainsKey("eval_accuracy"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resume_FromMidRunCheckpoint_FollowsTheUninterruptedRunBitForBit(bool lora)
    {
        // A fresh model each time, as a restarted process builds it: same init, same adapter, same trainable set.
        RewardModel Fresh()
        {
            var model = HfInitModel();
            if (lora)
            {
                var adapter = LoraAdapter.Create("rm", new LoraConfig { R = 4, Alpha = 8, Dropout = 0.2, Targets = LoraTarget.All }, model.Backbone.Config, 3);
                model.Backbone.AddAdapter(adapter);
                model.Backbone.SetActiveAdapter("rm");
                adapter.SetTrainable(true);
            }
            else
            {
                model.Backbone.SetBaseTrainable(true);
            }
            return model;
        }
        var options = Options(10, accumulation: 2);
        options = options with { Training = options.Training with { BatchSize = 4, SaveSteps = 4, SaveTotalLimit = 0, LoggingSteps = 1, EvalSteps = 3 } };
        var (train, eval) = (RewardFixtures.MarkerPairs(24, 23, seed: 1), RewardFixtures.MarkerPairs(6, 23, seed: 2));
        var straightDir = TinyModels.TempDir();
        var dir = TinyModels.TempDir();
        try
        {
            var straightModel = Fresh();
            var expected = new RewardTrainer(straightModel, options, train, eval) { OutputDir = straightDir }.Train();
            // The interrupted run: killed after checkpoint-4 and a step logged past it, as a crash would leave it.
            using var kill = new CancellationTokenSource();
            var crashed = new RewardTrainer(Fresh(), options, train, eval)
            {
                OutputDir = dir, OnProgress = p => { if (p.Step == 5) { kill.Cancel(); } },
            };
            Assert.Throws<OperationCanceledException>(() => crashed.Train(kill.Token));
            Assert.Equal(5, File.ReadAllLines(Path.Combine(dir, TrainerCheckpoint.MetricsFile)).Count(l => l.Contains("\"loss\"")));

            var resumedModel = Fresh();
            var resumed = new RewardTrainer(resumedModel, options, train, eval) { OutputDir = dir };
            TrainerCheckpoint.Resume(resumed, Path.Combine(dir, "checkpoint-4"));
            Assert.Equal(4, resumed.Step);
            var tail = resumed.Train();

            static string Row(TrainingLog h) => $"{h.Step}: " + string.Join(", ", h.Values.Select(kv => $"{kv.Key}={kv.Value:R}"));
            Assert.Equal(expected.History.Select(Row), tail.History.Select(Row));
            Assert.Equal(File.ReadAllLines(Path.Combine(straightDir, TrainerCheckpoint.MetricsFile)),
                File.ReadAllLines(Path.Combine(dir, TrainerCheckpoint.MetricsFile)));
            var trainable = resumedModel.TrainableParameters.ToList();
            Assert.Contains(resumedModel.Head, trainable);
            Assert.Equal(straightModel.TrainableParameters.Select(p => p.Name), trainable.Select(p => p.Name));
            foreach (var (a, b) in straightModel.TrainableParameters.Zip(trainable))
            {
                Assert.True(a.Value.Span.SequenceEqual(b.Value.Span), $"{b.Name} differs after resuming");
            }
            Assert.Equal(File.ReadAllBytes(Path.Combine(straightDir, "checkpoint-10", TrainerCheckpoint.OptimizerFile)),
                File.ReadAllBytes(Path.Combine(dir, "checkpoint-10", TrainerCheckpoint.OptimizerFile)));
        }
        finally
        {
            Directory.Delete(straightDir, recursive: true);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Resume_CheckpointOfOtherPairs_IsRefused()
    {
        var model = HfInitModel();
        var dir = TinyModels.TempDir();
        try
        {
            new RewardTrainer(model, Options(2), RewardFixtures.MarkerPairs(16, 23, seed: 1)) { OutputDir = dir }.Train();

            var other = new RewardTrainer(HfInitModel(), Options(4), RewardFixtures.MarkerPairs(12, 23, seed: 1));

            var e = Assert.Throws<ArgumentException>(() => TrainerCheckpoint.Resume(other, Path.Combine(dir, "checkpoint-2")));
            Assert.Contains("same data", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Train_Accumulation_GivesTheSameUpdateAsOneBigBatch()
    {
        // Without dropout, 2 micro-batches of 4 pairs and 1 batch of 8 pairs are the same mean over the same pairs.
        var pairs = RewardFixtures.MarkerPairs(8, 23, seed: 1);
        float[] Run(int batch, int accumulation)
        {
            var model = HfInitModel();
            model.Backbone.SetBaseTrainable(true);
            var options = Options(1, accumulation: accumulation);
            options = options with { Training = options.Training with { BatchSize = batch, WarmupSteps = 0 } };
            new RewardTrainer(model, options, pairs).Train();
            return model.TrainableParameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
        }

        var whole = Run(8, 1);
        var accumulated = Run(4, 2);

        // The sampler deals the same 8 shuffled indices either way: one batch of 8, or the same order as 4 + 4.
        var worst = whole.Zip(accumulated).Max(x => Math.Abs(x.First - x.Second));
        Assert.True(worst < 1e-6, $"largest weight difference {worst}");
    }

    [Fact]
    public void Progress_IsReportedEveryStep()
    {
        var model = HfInitModel();
        var seen = new List<TrainingProgress>();
        var trainer = new RewardTrainer(model, Options(4), RewardFixtures.MarkerPairs(16, 23, seed: 1)) { OnProgress = seen.Add };

        trainer.Train();

        Assert.Equal([1L, 2, 3, 4], seen.Select(p => p.Step));
        Assert.All(seen, p => Assert.True(double.IsFinite(p.Loss) && p.TokensPerSecond > 0));
    }
}
