namespace Pipeline.Durable.Storage;

public sealed record StartWorkflowRequest
{
    public required string WorkflowId { get; init; }
    public required string WorkflowType { get; init; }
    public required string TaskQueue { get; init; }

    /// <summary>JSON array of arguments.</summary>
    public required string Input { get; init; }

    public IdReusePolicy IdReusePolicy { get; init; } = IdReusePolicy.AllowDuplicate;
    public IdConflictPolicy IdConflictPolicy { get; init; } = IdConflictPolicy.UseExisting;
    public TimeSpan WorkflowTaskTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public IReadOnlyDictionary<string, string>? Memo { get; init; }
    public string Identity { get; init; } = "client";
}
