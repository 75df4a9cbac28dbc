namespace Pipeline.Serving.Http;

/// <summary>One chat message on the wire.</summary>
public sealed record ChatMessageDto(string? Role, string? Content);
