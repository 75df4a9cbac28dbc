namespace Pipeline.Infra.Configuration;

/// <summary>The <c>Pipeline:Serving</c> section: the serving API that <c>pipeline server</c> hosts and the A/B rollout drives.</summary>
public sealed record ServingSettings
{
    /// <summary>Port the server's serving API listens on, at 127.0.0.1; 0 picks a free one. Default 8088.</summary>
    public int Port { get; init; } = 8088;

    /// <summary>The serving API's address as workers reach it (the rollout steps call its admin routes). Default
    /// <c>http://127.0.0.1:{Port}/</c>: right when the workers run on the server's machine.</summary>
    public string Url { get; init; } = "";

    /// <summary>max_tokens for a chat completion that gives none. Default 40.</summary>
    public int DefaultMaxTokens { get; init; } = 40;

    /// <summary>The serving API's address: <see cref="Url"/>, or 127.0.0.1 at <paramref name="boundPort"/>.</summary>
    public Uri UrlFor(int boundPort) =>
        Url is { Length: > 0 } u ? new Uri(u.EndsWith('/') ? u : u + "/") : new Uri($"http://127.0.0.1:{boundPort}/");
}
