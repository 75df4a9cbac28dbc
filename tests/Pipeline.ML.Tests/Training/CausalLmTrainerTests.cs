using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Tests.Models;
using Pipeline.ML.Training;

namespace Pipeline.ML.Tests.Training;

public class CausalLmTrainerTests
{
    // Counting sequences mod V with a random start: learnable in a few dozen steps by a tiny model.
    private static List<TrainingRow> CountingRows(int count, int seqLen, int vocab, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var start = rng.Next(vocab);
            var ids = Enumerable.Range(0, seqLen).Select(i => (start + i) % vocab).ToArray();
            return new TrainingRow(ids, ids);
        }).ToList();
    }

    private static TrainingOptions Options(long steps) => new()
    {
        MaxSteps = steps, BatchSize = 4, LearningRate = 1e-2, WarmupSteps = 2, LoggingSteps = 1, Seed = 11, MaxGradNorm = 1.0,
    };

    [Fact]
    public void Train_FullFineTune_LossFallsAndEveryWeightChanges()
    {
        var model = TinyModels.Model(seed: 2);
        model.InitializeWeights(2);
        model.SetBaseTrainable(true);
        var before = model.BaseParameters.Select(p => p.Value.Span.ToArray()).ToList();
        var trainer = new CausalLmTrainer(model, Options(60), CountingRows(64, 12, 23, 1), CountingRows(8, 12, 23, 2));

        var result = trainer.Train();

        var losses = result.History.Where(h => h.Values.ContainsKey("loss")).Select(h => h.Values["loss"]).ToList();
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses.Take(3).Average() > 2.5, $"first losses {string.Join(", ", losses.Take(3))}");
        Assert.True(losses.TakeLast(3).Average() < 1.0, $"last losses {string.Join(", ", losses.TakeLast(3))}");
        Assert.True(result.History[^1].Values["eval_loss"] < 1.0);
        foreach (var (p, old) in model.BaseParameters.Zip(before))
        {
            Assert.False(p.Value.Span.SequenceEqual(old), $"{p.Name} did not change");
        }
        Assert.Equal(["loss", "mean_token_accuracy", "num_tokens", "learning_rate", "grad_norm", "epoch", "tokens_per_second"],
            result.History[0].Values.Keys);
    }

    [Fact]
    public void Train_Lora_EveryAdapterWeightChangesAndEveryBaseWeightIsBitIdentical()
    {
        var model = TinyModels.Model(seed: 2);
        var baseBefore = model.BaseParameters.Select(p => p.Value.Span.ToArray()).ToList();
        var adapter = LoraAdapter.Create("sft", new LoraConfig { R = 4, Alpha = 8, Dropout = 0.1, Targets = LoraTarget.All }, model.Config, 3);
        model.AddAdapter(adapter);
        model.SetActiveAdapter("sft");
        model.SetBaseTrainable(false);
        adapter.SetTrainable(true);
        var adapterBefore = adapter.Parameters.Select(p => p.Value.Span.ToArray()).ToList();

        var result = new CausalLmTrainer(model, Options(15), CountingRows(32, 12, 23, 1)).Train();

        var losses = result.History.Select(h => h.Values["loss"]).ToList();
        Assert.True(losses.TakeLast(3).Average() < losses.Take(3).Average());
        foreach (var (p, old) in model.BaseParameters.Zip(baseBefore))
        {
            Assert.True(p.Value.Span.SequenceEqual(old), $"frozen {p.Name} changed");
            Assert.Null(p.Grad);
        }
        foreach (var (p, old) in adapter.Parameters.Zip(adapterBefore))
        {
            Assert.False(p.Value.Span.SequenceEqual(old), $"adapter weight {p.Name} did not change");
        }
    }

    [Fact]
    public void Train_SameSeedTwice_BitIdenticalLossesAndWeights()
    {
        (List<double> Losses, float[] Weights) Run()
        {
            var model = TinyModels.Model(seed: 2);
            model.SetBaseTrainable(true);
            var result = new CausalLmTrainer(model, Options(8), CountingRows(16, 12, 23, 1)).Train();
            return (result.History.Select(h => h.Values["loss"]).ToList(), model.Layers[1].Down.Weight.Value.Span.ToArray());
        }

        var (l1, w1) = Run();
        var (l2, w2) = Run();
        Assert.Equal(l1, l2);
        Assert.Equal(w1, w2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resume_FromMidRunCheckpoint_FollowsTheSameLossTrajectory(bool lora)
    {
        var rows = CountingRows(24, 12, 23, 1);
        var options = Options(10) with { SaveSteps = 4, SaveTotalLimit = 0, GradientAccumulationSteps = 2 };
        LlamaModel Fresh()
        {
            var model = TinyModels.Model(seed: 2);
            if (lora)
            {
                var adapter = LoraAdapter.Create("a", new LoraConfig { R = 2, Alpha = 4, Dropout = 0.2, Targets = LoraTarget.All }, model.Config, 5);
                model.AddAdapter(adapter);
                model.SetActiveAdapter("a");
                adapter.SetTrainable(true);
            }
            else
            {
                model.SetBaseTrainable(true);
            }
            return model;
        }

        var dir = TinyModels.TempDir();
        var straight = new CausalLmTrainer(Fresh(), options, rows) { OutputDir = dir }.Train();

        var resumedModel = Fresh();
        var resumed = new CausalLmTrainer(resumedModel, options, rows);
        TrainerCheckpoint.Resume(resumed, Path.Combine(dir, "checkpoint-4"));
        Assert.Equal(4, resumed.Step);
        var tail = resumed.Train();

        var expected = straight.History.Where(h => h.Step > 4).Select(h => (h.Step, h.Values["loss"], h.Values["grad_norm"]));
        var actual = tail.History.Where(h => h.Step > 4).Select(h => (h.Step, h.Values["loss"], h.Values["grad_norm"]));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Checkpoints_SaveTotalLimit_KeepsNewest()
    {
        var model = TinyModels.Model(seed: 2);
        model.SetBaseTrainable(true);
        var dir = TinyModels.TempDir();
        new CausalLmTrainer(model, Options(6) with { SaveSteps = 2, SaveTotalLimit = 2 }, CountingRows(8, 12, 23, 1)) { OutputDir = dir }.Train();

        Assert.Equal(["checkpoint-4", "checkpoint-6"], TrainerCheckpoint.List(dir).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(dir, "checkpoint-6", "optimizer.safetensors")));
        Assert.True(File.Exists(Path.Combine(dir, "checkpoint-6", "trainer_state.json")));
        Assert.Equal(6, File.ReadAllLines(Path.Combine(dir, TrainerCheckpoint.MetricsFile)).Length);
    }

    [Fact]
    public void Train_GradientAccumulation_SameUpdateAsOneBigBatch()
    {
        (double GradNorm, double Loss, float[] Weights) OneStep(int batch, int accumulation)
        {
            var model = TinyModels.Model(seed: 2);
            model.SetBaseTrainable(true);
            var options = Options(1) with { BatchSize = batch, GradientAccumulationSteps = accumulation, WarmupSteps = 0 };
            // Rows with different numbers of targets, so a mean of micro-batch means would differ from the token mean.
            var rows = CountingRows(4, 12, 23, 1).Select((r, i) =>
                new TrainingRow(r.InputIds, r.Labels.Select((t, j) => j < 3 * i ? Pipeline.ML.Ops.CrossEntropy.IgnoreIndex : t).ToArray())).ToList();
            var log = new CausalLmTrainer(model, options, rows).Train().History[0].Values;
            return (log["grad_norm"], log["loss"], model.Layers[0].Q.Weight.Value.Span.ToArray());
        }

        var big = OneStep(4, 1);
        var accumulated = OneStep(2, 2);
        // Adam's first update is nearly sign(g)·lr whatever the scale, so the gradient norm is what tells the two apart.
        Assert.Equal(big.GradNorm, accumulated.GradNorm, 1e-5 * big.GradNorm);
        Assert.Equal(big.Loss, accumulated.Loss, 1e-6);
        Assert.All(big.Weights.Zip(accumulated.Weights), x => Assert.Equal(x.First, x.Second, 1e-6f));
    }
}
