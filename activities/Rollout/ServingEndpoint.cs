namespace Pipeline.Activities.Rollout;

/// <summary>Where the serving API is (the rollout activities drive its admin endpoints over HTTP, so a worker on another
/// machine reaches the same server the traffic goes to).</summary>
public sealed record ServingEndpoint(Uri Url);
