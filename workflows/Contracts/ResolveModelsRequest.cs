namespace Pipeline.Workflows.Contracts;

/// <summary>Look up the base model reference (NAME@ALIAS or NAME/VERSION) and the current champion of
/// <paramref name="ModelName"/>.</summary>
public sealed record ResolveModelsRequest(string ModelName, string BaseModel);
