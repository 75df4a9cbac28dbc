namespace Pipeline.Serving.Http;

/// <summary>The error object inside <see cref="ErrorBody"/>.</summary>
public sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);
