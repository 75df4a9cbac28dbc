namespace Pipeline.Infra.Artifacts;

/// <summary>The JSON document a store keeps beside each blob: enough to answer Stat and List without touching the blob.</summary>
internal sealed record ArtifactRecord(string Digest, long Size, ArtifactMetadata Metadata);
