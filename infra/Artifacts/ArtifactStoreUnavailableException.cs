namespace Pipeline.Infra.Artifacts;

/// <summary>The backing store could not be reached or kept failing after the client's retries were exhausted.</summary>
public sealed class ArtifactStoreUnavailableException(string message, Exception inner) : Exception(message, inner);
