namespace Pipeline.Workflows.Contracts;

/// <summary>Promote the challenger (the <c>champion</c> alias moves to it) or roll it back (the <c>challenger</c>
/// alias is removed, the champion stays), with the reason on record and the matching event published.</summary>
public sealed record AliasRequest(string ModelName, int ChallengerVersion, int ChampionVersion, string Reason, string WorkflowId);
