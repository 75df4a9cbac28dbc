namespace Pipeline.Durable;

/// <summary>Options for starting a workflow from a client.</summary>
public sealed record WorkflowOptions
{
    /// <summary>Business id, unique among open runs. Required.</summary>
    public required string Id { get; init; }

    public string TaskQueue { get; init; } = "default";

    public IdReusePolicy IdReusePolicy { get; init; } = IdReusePolicy.AllowDuplicate;

    public IdConflictPolicy IdConflictPolicy { get; init; } = IdConflictPolicy.UseExisting;

    /// <summary>Longest one workflow task may be held by a worker before another may take it. Default 10 s.</summary>
    public TimeSpan WorkflowTaskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Free-form indexed attributes shown in listings (e.g. dataset).</summary>
    public IReadOnlyDictionary<string, string>? Memo { get; init; }
}
