namespace Pipeline.Workflows.Contracts;

/// <summary>The registered challenger and the champion it will be tested against.</summary>
public sealed record RegisterResult(ModelRef Challenger, ModelRef Champion);
