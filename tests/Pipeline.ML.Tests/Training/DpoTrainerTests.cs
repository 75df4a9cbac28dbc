using Pipeline.ML.Data;
using Pipeline.ML.Generation;
using Pipeline.ML.Lora;
using Pipeline.ML.Losses;
using Pipeline.ML.Models;
using Pipeline.ML.Tests.Models;
using Pipeline.ML.Training;

namespace Pipeline.ML.Tests.Training;

/// <summary>The trainer's habits (TRL's): loss finite and falling, every trainable weight changed and every frozen one
/// bit-identical, the reference computed once and never from trained weights, an exact resume.</summary>
public sealed class DpoTrainerTests
{
    private const double Beta = 0.1;

    // chosen continues the prompt's count (mod V); rejected is random: a preference a tiny model learns in a few steps.
    internal static List<PreferenceExample> CountingPairs(int count, int seed, int vocab = 23)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var start = rng.Next(vocab);
            var prompt = Enumerable.Range(0, 2 + rng.Next(3)).Select(j => (start + j) % vocab).ToArray();
            var chosen = Enumerable.Range(prompt.Length, 1 + rng.Next(4)).Select(j => (start + j) % vocab).ToArray();
            var rejected = Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => rng.Next(vocab)).ToArray();
            return new PreferenceExample(prompt, chosen, rejected, i + 1);
        })];
    }

    private static TrainingOptions Options(long steps) => new()
    {
        MaxSteps = steps, BatchSize = 4, LearningRate = 1e-2, WarmupSteps = 2, LoggingSteps = 1, Seed = 11, WeightDecay = 0,
    };

    private static LlamaModel Full()
    {
        var model = TinyModels.Model(seed: 2);
        model.SetBaseTrainable(true);
        return model;
    }

    private static (LlamaModel Model, LoraAdapter Adapter) WithAdapter(double dropout = 0.1)
    {
        var model = TinyModels.Model(seed: 2);
        var adapter = LoraAdapter.Create("dpo", new LoraConfig { R = 4, Alpha = 8, Dropout = dropout, Targets = LoraTarget.All }, model.Config, 3);
        model.AddAdapter(adapter);
        model.SetActiveAdapter("dpo");
        adapter.SetTrainable(true);
        return (model, adapter);
    }

    private static List<double> Losses(TrainingResult result) =>
        [.. result.History.Where(h => h.Values.ContainsKey("loss")).Select(h => h.Values["loss"])];

    [Theory]
    [InlineData(DpoLossType.Sigmoid, null)]
    [InlineData(DpoLossType.Sigmoid, 1.0)]
    [InlineData(DpoLossType.Hinge, null)]
    [InlineData(DpoLossType.Ipo, null)]
    [InlineData(DpoLossType.SimPO, null)]
    public void Train_FullFineTune_LossFallsAndEveryWeightChanges(DpoLossType type, double? rpoAlpha)
    {
        var model = Full();
        var before = model.BaseParameters.Select(p => p.Value.Span.ToArray()).ToList();
        var trainer = new DpoTrainer(model, Options(40), new DpoOptions { LossType = type, RpoAlpha = rpoAlpha }, CountingPairs(32, 1), CountingPairs(8, 2));

        var result = trainer.Train();

        var losses = Losses(result);
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses.TakeLast(5).Average() < 0.5 * losses.Take(5).Average(),
            $"{type}: first losses {string.Join(", ", losses.Take(5))}; last {string.Join(", ", losses.TakeLast(5))}");
        Assert.True(result.History[^1].Values["eval_rewards/accuracies"] >= 0.75);
        foreach (var (p, old) in model.BaseParameters.Zip(before))
        {
            Assert.False(p.Value.Span.SequenceEqual(old), $"{p.Name} did not change");
        }
        string[] keys = ["loss", "rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies", "logps/chosen", "logps/rejected"];
        string[] tail = ["num_tokens", "learning_rate", "grad_norm", "epoch", "tokens_per_second"];
        Assert.Equal([.. keys, .. rpoAlpha is null ? [] : new[] { "nll_loss" }, .. tail], result.History[0].Values.Keys);
        Assert.Equal(type == DpoLossType.SimPO ? 0 : 1, trainer.ReferencePasses);
    }

    [Fact]
    public void Train_Lora_AdapterWeightsChangeAndEveryBaseWeightIsBitIdentical()
    {
        var (model, adapter) = WithAdapter();
        var baseBefore = model.BaseParameters.Select(p => p.Value.Span.ToArray()).ToList();
        var adapterBefore = adapter.Parameters.Select(p => p.Value.Span.ToArray()).ToList();

        var result = new DpoTrainer(model, Options(30), new DpoOptions { RpoAlpha = 1.0 }, CountingPairs(32, 1)).Train();

        var losses = Losses(result);
        Assert.True(losses.TakeLast(5).Average() < losses.Take(5).Average(), $"losses {string.Join(", ", losses)}");
        foreach (var (p, old) in model.BaseParameters.Zip(baseBefore))
        {
            Assert.True(p.Value.Span.SequenceEqual(old), $"frozen {p.Name} changed");
        }
        foreach (var (p, old) in adapter.Parameters.Zip(adapterBefore))
        {
            Assert.False(p.Value.Span.SequenceEqual(old), $"{p.Name} did not change");
        }
        Assert.Same(adapter, model.ActiveAdapter);
    }

    [Fact]
    public void Reference_WithLoraAdapter_IsTheBaseModelWithTheAdapterOff()
    {
        var (model, adapter) = WithAdapter(dropout: 0);
        // A non-zero B, so the adapter moves the policy away from the base before any training.
        foreach (var p in adapter.Parameters.Where(p => p.Name.Contains("lora_B")))
        {
            var span = p.Value.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = 0.05f * MathF.Sin(i + 1);
            }
        }
        var eval = CountingPairs(6, 3);
        var trainer = new DpoTrainer(model, Options(1) with { WarmupSteps = 0 }, new DpoOptions { Beta = Beta }, CountingPairs(8, 1), eval);

        var row = trainer.Evaluate().Values;

        var policy = CompletionLogProbs.Compute(model, [.. eval.Select(p => (p.Prompt, p.Chosen))]);
        model.SetActiveAdapter(null);
        var reference = CompletionLogProbs.Compute(model, [.. eval.Select(p => (p.Prompt, p.Chosen))]);
        var expected = policy.Zip(reference).Average(x => Beta * (x.First.Sum - x.Second.Sum));
        Assert.NotEqual(0, expected, 3);
        Assert.Equal(expected, row["eval_rewards/chosen"], 4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resume_FromMidRunCheckpoint_ReadsTheCachedReferenceAndFollowsTheSameTrajectory(bool lora)
    {
        LlamaModel Fresh() => lora ? WithAdapter(dropout: 0.2).Model : Full();
        var options = Options(10) with { SaveSteps = 4, SaveTotalLimit = 0, GradientAccumulationSteps = 2 };
        var dpo = new DpoOptions { RpoAlpha = 0.5 };
        var (train, eval) = (CountingPairs(24, 1), CountingPairs(6, 2));
        var dir = TinyModels.TempDir();
        var straightModel = Fresh();
        var straight = new DpoTrainer(straightModel, options, dpo, train, eval) { OutputDir = dir };
        var expected = straight.Train();
        Assert.Equal(1, straight.ReferencePasses);
        Assert.True(File.Exists(Path.Combine(dir, ReferenceLogProbs.FileName)));

        var resumedModel = Fresh();
        var resumed = new DpoTrainer(resumedModel, options, dpo, train, eval) { OutputDir = dir };
        TrainerCheckpoint.Resume(resumed, Path.Combine(dir, "checkpoint-4"));
        var tail = resumed.Train();

        Assert.Equal(0, resumed.ReferencePasses);
        // Everything logged after the checkpoint but the wall-clock rate.
        static string Row(TrainingLog h) =>
            $"{h.Step}: " + string.Join(", ", h.Values.Where(kv => kv.Key != "tokens_per_second").Select(kv => $"{kv.Key}={kv.Value:R}"));
        Assert.Equal(expected.History.Where(h => h.Step > 4).Select(Row), tail.History.Where(h => h.Step > 4).Select(Row));
        foreach (var (a, b) in straightModel.TrainableParameters.Zip(resumedModel.TrainableParameters))
        {
            Assert.True(a.Value.Span.SequenceEqual(b.Value.Span), $"{a.Name} differs after resuming");
        }
    }

    [Fact]
    public void Resume_WithoutTheReferenceCache_RefusesToRecomputeFromTrainedWeights()
    {
        var options = Options(4) with { SaveSteps = 2 };
        var train = CountingPairs(8, 1);
        var dir = TinyModels.TempDir();
        new DpoTrainer(Full(), options, new DpoOptions(), train) { OutputDir = dir }.Train();
        File.Delete(Path.Combine(dir, ReferenceLogProbs.FileName));

        var resumed = new DpoTrainer(Full(), options with { MaxSteps = 6 }, new DpoOptions(), train) { OutputDir = dir };
        TrainerCheckpoint.Resume(resumed, Path.Combine(dir, "checkpoint-4"));

        var e = Assert.Throws<InvalidOperationException>(() => resumed.Train());
        Assert.Contains(ReferenceLogProbs.FileName, e.Message);
    }

    [Fact]
    public void Train_ReferenceCacheOfOtherPairs_IsAFormatError()
    {
        var dir = TinyModels.TempDir();
        new DpoTrainer(Full(), Options(3), new DpoOptions(), CountingPairs(8, 1)) { OutputDir = dir }.Train();

        var other = new DpoTrainer(Full(), Options(3), new DpoOptions(), CountingPairs(8, 9)) { OutputDir = dir };

        var e = Assert.Throws<ModelFormatException>(() => other.Train());
        Assert.Contains("other preference pairs", e.Message);
    }

    [Fact]
    public void Train_GradientAccumulation_SameUpdateAsOneBigBatch()
    {
        (double GradNorm, double Loss, float[] Weights) OneStep(int batch, int accumulation)
        {
            var model = Full();
            var options = Options(1) with { BatchSize = batch, GradientAccumulationSteps = accumulation, WarmupSteps = 0 };
            var log = new DpoTrainer(model, options, new DpoOptions { RpoAlpha = 1.0 }, CountingPairs(8, 4)).Train().History[0].Values;
            return (log["grad_norm"], log["loss"], model.Layers[0].Q.Weight.Value.Span.ToArray());
        }

        var big = OneStep(8, 1);
        var accumulated = OneStep(2, 4);
        Assert.Equal(big.GradNorm, accumulated.GradNorm, 1e-5 * big.GradNorm);
        Assert.Equal(big.Loss, accumulated.Loss, 1e-6);
        Assert.All(big.Weights.Zip(accumulated.Weights), x => Assert.Equal(x.First, x.Second, 1e-6f));
    }

    [Fact]
    public void Options_Defaults_FollowTrlAndTheSimpoPaper()
    {
        Assert.Equal(0.1, new DpoOptions().EffectiveBeta);
        Assert.Equal(2.0, new DpoOptions { LossType = DpoLossType.SimPO }.EffectiveBeta);
        Assert.Equal(1.0, new DpoOptions { LossType = DpoLossType.SimPO }.EffectiveSimpoGamma);
        Assert.Throws<ArgumentException>(() => new DpoOptions { Beta = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new DpoOptions { LabelSmoothing = 0.5 }.Validate());
        Assert.Throws<ArgumentException>(() => new DpoOptions { LossType = DpoLossType.Ipo, LabelSmoothing = 0.1 }.Validate());
        Assert.Throws<ArgumentException>(() => new DpoOptions { RpoAlpha = -1 }.Validate());
    }
}
