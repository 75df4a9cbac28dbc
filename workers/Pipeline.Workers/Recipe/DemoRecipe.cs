using Pipeline.Workflows.Contracts;

namespace Pipeline.Workers.Recipe;

/// <summary>The recipe <c>pipeline demo</c> runs: the shipped defaults (pretraining the base when it is not registered)
/// with a short A/B window fed by the traffic simulator instead of real users: half the traffic to the challenger,
/// 400 simulated requests from 200 users scored by the domain's verifier, checked every 5 s, decided after 100
/// feedbacks per arm or 10 minutes.</summary>
public static class DemoRecipe
{
    public static RecipeConfig Config { get; } = RecipeConfigFile.Defaults with
    {
        Rollout = new RolloutConfig
        {
            ChallengerShare = 0.5, MinFeedbackPerVariant = 100, CheckInterval = TimeSpan.FromSeconds(5), MaxDuration = TimeSpan.FromMinutes(10),
            SimulatedRequests = 400, SimulatedUsers = 200,
        },
    };
}
