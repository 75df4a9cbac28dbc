using Pipeline.ML.Generation;
using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Data;
using Pipeline.ML.Tests.Tasks;
using Pipeline.ML.Training;
using Xunit.Abstractions;

namespace Pipeline.ML.Tests.Training;

/// <summary>
/// The issue's acceptance check: GRPO from the addition task's SFT checkpoint, on train prompts only, with the
/// last-integer verifier, raises the verifier's reward on held-out prompts — greedy accuracy and the mean reward of
/// temperature-1 samples. Measured (80 steps, 16 prompts × G = 8, lr 3e-4, seeds 1–3, β 0 and 0.02): greedy
/// 55.0% → 90.0–95.0%, sampled 59.7% → 70.0–74.7%. The asserted margins (+20 and +5 points) sit well below those.
/// </summary>
public sealed class GrpoLiftTests(ITestOutputHelper output)
{
    [Fact]
    public void Train_FromSftCheckpoint_RaisesHeldOutVerifierReward()
    {
        var model = AdditionTask.LoadSft();
        model.SetBaseTrainable(true);
        var greedyBefore = AdditionTask.Accuracy(model, AdditionTask.HeldOut);
        var sampledBefore = SampledReward(model);
        var options = new GrpoOptions
        {
            Training = new TrainingOptions
            {
                MaxSteps = 80, BatchSize = 64, GradientAccumulationSteps = 2, LearningRate = 3e-4, WeightDecay = 0,
                LrSchedulerType = Optim.ScheduleKind.Constant, Seed = 1, LoggingSteps = 20,
            },
            NumGenerations = 8, Temperature = 1.0, MaxCompletionLength = 4, StopTokenIds = [AdditionTask.EndToken], Beta = 0.02,
        };
        var trainer = new GrpoTrainer(model, ByteTokenizer.Instance, options, AdditionTask.Prompts(AdditionTask.Train), [new LastIntegerReward()])
        {
            OnLog = l => output.WriteLine($"{l.Step}: reward {l.Values["reward"]:F3} kl {l.Values["kl"]:F3} zero-std {l.Values["frac_reward_zero_std"]:F2}"),
        };

        trainer.Train();

        var greedyAfter = AdditionTask.Accuracy(model, AdditionTask.HeldOut);
        var sampledAfter = SampledReward(model);
        output.WriteLine($"held out: greedy {greedyBefore:P1} → {greedyAfter:P1}; sampled {sampledBefore:P1} → {sampledAfter:P1}");
        Assert.True(greedyAfter >= greedyBefore + 0.20, $"greedy accuracy {greedyBefore:P1} → {greedyAfter:P1}");
        Assert.True(sampledAfter >= sampledBefore + 0.05, $"sampled reward {sampledBefore:P1} → {sampledAfter:P1}");
    }

    // Mean verifier reward of 8 temperature-1 samples per held-out prompt, with a fixed sampling seed.
    private static double SampledReward(LlamaModel model)
    {
        var prompts = AdditionTask.Prompts(AdditionTask.HeldOut).SelectMany(p => Enumerable.Repeat(p, 8)).ToList();
        var results = new Generator(model, ByteTokenizer.Instance).Generate([.. prompts.Select(p => p.Ids)],
            new GenerationOptions { MaxNewTokens = 4, Temperature = 1.0, Seed = 99, StopTokenIds = [AdditionTask.EndToken] });
        return new LastIntegerReward().Score([.. prompts.Zip(results, (p, r) => new RewardInput(p.Id, p.Text, r.Text ?? "", p.Columns))]).Average();
    }
}
