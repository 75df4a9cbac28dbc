namespace Pipeline.Infra.Tracking;

/// <summary>Where the MLflow tracking server is and how to talk to it.</summary>
public sealed record MlflowOptions
{
    /// <summary>The server's root, e.g. <c>http://mlflow:5000/</c>; the client appends <c>api/2.0/mlflow/…</c>.</summary>
    public required Uri TrackingUri { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer …</c> when set (MLFLOW_TRACKING_TOKEN). Default: none.</summary>
    public string? Token { get; init; }

    /// <summary>With <see cref="Password"/>, sent as HTTP basic auth when no token is set. Default: none.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Retries after a 429, a 5xx or a failed connection, with exponential backoff. Default: 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first backoff; each retry doubles it up to <see cref="MaxBackoff"/>. Default: 250 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between two attempts, Retry-After included. Default: 10 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (!TrackingUri.IsAbsoluteUri)
        {
            throw new ArgumentException($"TrackingUri must be absolute, got '{TrackingUri}'.");
        }

        if (MaxRetries < 0 || InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException("MaxRetries must be >= 0 and 0 <= InitialBackoff <= MaxBackoff.");
        }
    }
}
