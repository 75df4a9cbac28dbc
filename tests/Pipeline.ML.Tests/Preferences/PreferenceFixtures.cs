using Pipeline.ML.Generation;
using Pipeline.ML.Preferences;
using Pipeline.ML.Rewards;

namespace Pipeline.ML.Tests.Preferences;

/// <summary>Hand-made candidates, a reward function that looks scores up by completion text, and a stopped clock.</summary>
internal static class PreferenceFixtures
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static PromptCandidates Prompt(string id, params string[] completions) =>
        new(id, id + "?", null, new Dictionary<string, string>(),
            [.. completions.Select((c, i) => new SampledCompletion(i, c, c.Length + 1, FinishReason.StopToken))]);

    public static CandidateSet Set(params PromptCandidates[] prompts) =>
        new(prompts, "sha256:feed", new PreferenceSamplingOptions().ToJson(), []);

    public static PromptLabels Scores(params double[] scores) => PromptLabels.FromScores(scores);

    public sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Scores a completion by its text; unknown text scores 0.</summary>
    public sealed class TableReward(IReadOnlyDictionary<string, double> table) : IRewardFunction
    {
        public string Name => "table";

        public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> inputs) =>
            [.. inputs.Select(i => table.GetValueOrDefault(i.Completion))];
    }
}
