namespace Pipeline.Infra.Artifacts;

/// <summary>The bytes read back for an artifact do not hash to its digest (or have the wrong length).</summary>
public sealed class ArtifactCorruptException : Exception
{
    public ArtifactCorruptException(string digest, string found)
        : base($"Artifact {digest} is corrupt: its bytes hash to {found}.")
    {
        Digest = digest;
        Found = found;
    }

    /// <summary>The digest that was asked for.</summary>
    public string Digest { get; }

    /// <summary>What the stored bytes actually hash to (or a description of what was found instead).</summary>
    public string Found { get; }
}
