namespace Pipeline.Durable;

/// <summary>Options for starting a child workflow from workflow code.</summary>
public sealed record ChildWorkflowOptions
{
    /// <summary>The child's workflow id; default "{parent id}/child-{seq}".</summary>
    public string? Id { get; init; }

    /// <summary>Default: the parent's task queue.</summary>
    public string? TaskQueue { get; init; }

    public ParentClosePolicy ParentClosePolicy { get; init; } = ParentClosePolicy.Terminate;

    /// <summary>Cancels the child (a cancel request is sent to it); default is the workflow's token.</summary>
    public CancellationToken? CancellationToken { get; init; }
}
