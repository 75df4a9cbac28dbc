namespace Pipeline.Workflows.Contracts;

/// <summary>Route <paramref name="ChallengerShare"/> of <paramref name="ModelName"/>'s traffic to the challenger
/// version, the rest to the champion, sticky per user (the salt keeps assignments stable for this experiment).</summary>
public sealed record StartExperimentRequest(string ModelName, int ChampionVersion, int ChallengerVersion, double ChallengerShare, string Salt);
