namespace Pipeline.Durable.Storage;

/// <summary>A filter for listing runs; null fields do not filter. Newest first.</summary>
public sealed record RunQuery
{
    public string? Status { get; init; }
    public string? WorkflowType { get; init; }

    /// <summary>Exactly this workflow id: every run of it (continue-as-new chains, reuse after a close).</summary>
    public string? WorkflowId { get; init; }

    /// <summary>Substring of the workflow id.</summary>
    public string? IdContains { get; init; }

    public DateTimeOffset? StartedAfter { get; init; }
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>Runs whose memo has this key with this value (e.g. dataset).</summary>
    public KeyValuePair<string, string>? Memo { get; init; }

    public int Limit { get; init; } = 100;
    public int Offset { get; init; }
}
