namespace Pipeline.Serving.Simulation;

/// <summary>What one variant got from the simulation: requests answered, thumbs up, thumbs down, failed requests.</summary>
public sealed record VariantTally(int Requests, int ThumbsUp, int ThumbsDown, int Errors);
