namespace Pipeline.Workflows.Contracts;

/// <summary>Register a pretrained base as the next version of the reference's NAME and point its ALIAS at it.</summary>
public sealed record RegisterBaseRequest(string BaseModel, ModelRef Model, DatasetVersionRef Dataset, string WorkflowId, IReadOnlyDictionary<string, double> Metrics);
