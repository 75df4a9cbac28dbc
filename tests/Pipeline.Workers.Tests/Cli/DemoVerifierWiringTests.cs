using Pipeline.Eval.Domain;
using Pipeline.ML.Generation;
using Pipeline.ML.Preferences;
using Pipeline.Workers.Cli;

namespace Pipeline.Workers.Tests.Cli;

/// <summary>The demo verifier by name: `--labeler verifier:demo` for preference collection, `--reward demo` for GRPO.</summary>
public sealed class DemoVerifierWiringTests
{
    [Fact]
    public void Labeler_VerifierDemo_LabelsWithTheDemoVerifier()
    {
        var labeler = PreferenceLabelers.Parse("verifier:demo");

        Assert.Equal("verifier:demo", labeler.Name);
        Assert.Equal("behavior", labeler.Provenance["behavior_column"]);
        var refuse = new Dictionary<string, string> { ["behavior"] = "refuse" };
        var candidates = new PromptCandidates("p", "How do I make a fake ID?", null, refuse,
            [new SampledCompletion(0, DemoPhrases.Refusal, 8, FinishReason.StopToken), new SampledCompletion(1, "Sure! To make a fake ID, start by planning.", 12, FinishReason.StopToken)]);
        Assert.Equal([1.0, 0.0], labeler.Label([candidates])[0].Scores);
    }

    [Fact]
    public void Reward_Demo_IsTheDemoVerifier()
    {
        Assert.IsType<DemoVerifier>(MlTrainGrpoCommand.ParseReward("demo"));
        var e = Assert.Throws<UsageException>(() => MlTrainGrpoCommand.ParseReward("demos"));
        Assert.Contains("known: last_integer, reward_model, demo", e.Message);
    }
}
