using Pipeline.ML.Data;
using Pipeline.ML.Models;
using Pipeline.ML.Preferences;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Data;
using Pipeline.ML.Tests.Models;
using Pipeline.ML.Tests.Tasks;
using Pipeline.ML.Training;
using Xunit.Abstractions;

namespace Pipeline.ML.Tests.Training;

/// <summary>
/// The recipe's middle as the stages hand it on, with nothing built by hand: the flawed SFT model samples completions
/// of the train prompts, the verifier labels them, quality control keeps (right, wrong) pairs, the pairs go to disk as
/// the versioned artifact and come back through the TRL loader, and DPO + RPO on them must raise greedy accuracy on
/// the held-out facts — the facts no pair was collected from.
/// </summary>
public sealed class PreferenceChainTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = TinyModels.TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(3UL, 1UL)]
    [InlineData(7UL, 2UL)]
    public void CollectThenDpo_FromFlawedSft_RaisesHeldOutAccuracy(ulong samplingSeed, ulong trainingSeed)
    {
        var model = AdditionTask.LoadSft();
        var sft = AdditionTask.Accuracy(model, AdditionTask.HeldOut);
        var options = new PreferenceCollectionOptions
        {
            Sampling = new PreferenceSamplingOptions
            {
                SamplesPerPrompt = 8, Temperature = 1.0, MaxNewTokens = 4, Seed = samplingSeed, StopTokenIds = [AdditionTask.EndToken], BatchSize = 32,
            },
        };
        var collection = new PreferenceCollector(options).Collect(
            AdditionTask.Prompts(AdditionTask.Train), model, ByteTokenizer.Instance, "sha256:in-memory-sft", new RewardFunctionLabeler(new LastIntegerReward()));
        var version = PreferenceArtifact.WritePairs(_dir, collection);
        var pairs = PreferenceDataset.LoadJsonl(
            Path.Combine(version.Directory, "preferences.jsonl"), ByteTokenizer.Instance, new PreferenceDataOptions());

        model.SetBaseTrainable(true);
        var training = new TrainingOptions
        {
            MaxSteps = 60, BatchSize = 16, LearningRate = 1e-3, WarmupSteps = 5, WeightDecay = 0, Seed = trainingSeed, LoggingSteps = 20,
        };
        new DpoTrainer(model, training, new DpoOptions { Beta = 0.1, RpoAlpha = 1.0 }, pairs).Train();
        var dpo = AdditionTask.Accuracy(model, AdditionTask.HeldOut);
        output.WriteLine($"{pairs.Count} pairs ({collection.Counts}); held-out accuracy {sft:F3} → {dpo:F3}");

        Assert.True(pairs.Count >= 50, $"only {pairs.Count} pairs collected");
        Assert.True(dpo - sft >= 0.15, $"held-out accuracy {sft:F3} → {dpo:F3}: less than +15 points");
    }
}
