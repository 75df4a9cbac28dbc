namespace Pipeline.Infra.Tests.Logging;

/// <summary>One request as the fake Seq saw it.</summary>
public sealed record SeqRequest(string Method, string Path, string? ContentType, string? ApiKey, string Body, int Status, DateTime ReceivedUtc)
{
    public string[] Lines => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
