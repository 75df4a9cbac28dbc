namespace Pipeline.Serving.Http;

/// <summary>Feedback on one response: thumbs ("up"/"down") or a score in [0, 1], exactly one of them.</summary>
public sealed record FeedbackRequest(string? ResponseId, string? Thumbs = null, double? Score = null);
