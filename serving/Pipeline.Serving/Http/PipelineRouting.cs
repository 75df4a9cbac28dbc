namespace Pipeline.Serving.Http;

/// <summary>Which experiment and variant served the request (null outside an experiment) and the version used.</summary>
public sealed record PipelineRouting(string? Variant, string? Experiment, int ModelVersion);
