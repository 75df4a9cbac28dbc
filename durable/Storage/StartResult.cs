namespace Pipeline.Durable.Storage;

/// <summary>The run a start call resolved to; <see cref="Created"/> is false when an open run was reused.</summary>
public sealed record StartResult(string WorkflowId, string RunId, bool Created);
