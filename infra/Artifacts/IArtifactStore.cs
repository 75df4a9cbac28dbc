namespace Pipeline.Infra.Artifacts;

/// <summary>
/// A content-addressed, write-once store. Digests are "sha256:" + 64 lowercase hex digits (<see cref="ArtifactDigest"/>).
/// Bytes are immutable once written; putting identical bytes again returns the same ref, rewrites nothing, and keeps
/// the metadata of the first put. Reads verify the digest and throw <see cref="ArtifactCorruptException"/> on a mismatch.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> (read to its end), hashing it on the way.</summary>
    Task<ArtifactRef> PutAsync(Stream content, ArtifactMetadata metadata, CancellationToken ct = default);

    /// <summary>
    /// Opens the artifact for reading. The stream verifies the sha256 as it is read: reading to the end of corrupt
    /// bytes throws <see cref="ArtifactCorruptException"/>. Throws <see cref="KeyNotFoundException"/> if absent.
    /// </summary>
    Task<Stream> OpenAsync(string digest, CancellationToken ct = default);

    /// <summary>The artifact's ref, or null if it is not stored.</summary>
    Task<ArtifactRef?> StatAsync(string digest, CancellationToken ct = default);

    /// <summary>The metadata as first written, or null if the artifact is not stored.</summary>
    Task<ArtifactMetadata?> GetMetadataAsync(string digest, CancellationToken ct = default);

    /// <summary>Every stored artifact, or only those of one kind. Order is unspecified.</summary>
    IAsyncEnumerable<ArtifactRef> ListAsync(string? kind = null, CancellationToken ct = default);
}
