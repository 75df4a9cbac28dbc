namespace Pipeline.Infra.Logging;

/// <summary>Where and how <see cref="SeqSink"/> ships events.</summary>
public sealed record SeqSinkOptions
{
    /// <summary>Seq's base address, e.g. <c>http://seq:5341</c>; events go to <c>{ServerUrl}/ingest/clef</c>.</summary>
    public required Uri ServerUrl { get; init; }

    /// <summary>Sent as <c>X-Seq-ApiKey</c> when set. Default: none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Most events held in memory; when full the oldest is dropped and counted. Default 10,000.</summary>
    public int QueueLimit { get; init; } = 10_000;

    /// <summary>Most events in one POST; reaching it also wakes the loop early. Default 1,000.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>How often the loop ships what is buffered. Default 2 s.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait after a failed POST; doubles on each further failure. Default 1 s.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on the backoff. Default 1 min.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Timeout of one POST. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most <see cref="SeqSink.Dispose"/> waits for the final flush. Default 5 s.</summary>
    public TimeSpan DisposeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming every setting that is out of range.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!ServerUrl.IsAbsoluteUri || (ServerUrl.Scheme != Uri.UriSchemeHttp && ServerUrl.Scheme != Uri.UriSchemeHttps))
            problems.Add($"ServerUrl '{ServerUrl}' must be an absolute http:// or https:// address");
        if (QueueLimit < 1) problems.Add($"QueueLimit must be at least 1 (was {QueueLimit})");
        if (BatchSize < 1) problems.Add($"BatchSize must be at least 1 (was {BatchSize})");
        if (Period <= TimeSpan.Zero) problems.Add($"Period must be positive (was {Period})");
        if (MinBackoff <= TimeSpan.Zero || MaxBackoff < MinBackoff)
            problems.Add($"Backoff needs 0 < MinBackoff <= MaxBackoff (was {MinBackoff}, {MaxBackoff})");
        if (RequestTimeout <= TimeSpan.Zero) problems.Add($"RequestTimeout must be positive (was {RequestTimeout})");
        if (DisposeTimeout < TimeSpan.Zero) problems.Add($"DisposeTimeout must not be negative (was {DisposeTimeout})");
        if (problems.Count > 0) throw new ArgumentException("Invalid Seq sink options: " + string.Join("; ", problems) + ".");
    }
}
