namespace Pipeline.Infra.Artifacts;

/// <summary>
/// A stored artifact: its content digest ("sha256:" + hex), size in bytes, kind (from its metadata) and
/// where its bytes live (<c>file:///ROOT/blobs/sha256/ab/cdef…</c> or <c>s3://bucket/prefix/blobs/sha256/ab/cdef…</c>).
/// Small enough to pass between workflow steps.
/// </summary>
public sealed record ArtifactRef(string Digest, long Size, string Kind, Uri Uri);
