namespace Pipeline.Workflows.Contracts;

/// <summary>The base SFT starts from (null when the reference is not registered yet) and the champion to beat (null
/// before the first promotion).</summary>
public sealed record ResolvedModels(ModelRef? Base, ModelRef? Champion);
