namespace Pipeline.Infra.Artifacts;

/// <summary>File and directory helpers that work on any <see cref="IArtifactStore"/>.</summary>
public static class ArtifactStoreExtensions
{
    public static async Task<ArtifactRef> PutFileAsync(this IArtifactStore store, string path, ArtifactMetadata metadata, CancellationToken ct = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await store.PutAsync(file, metadata, ct);
    }

    /// <summary>
    /// Stores every file under <paramref name="dir"/> as its own blob (kind "file", lineage: the manifest's producer)
    /// and then a JSON <see cref="DirectoryManifest"/> with <paramref name="metadata"/>; returns the manifest's ref.
    /// Files shared between versions of a model folder are stored once. Empty directories are not recorded.
    /// </summary>
    public static async Task<ArtifactRef> PutDirectoryAsync(this IArtifactStore store, string dir, ArtifactMetadata metadata, CancellationToken ct = default)
    {
        var root = Path.GetFullPath(dir);
        var entries = new List<DirectoryManifestEntry>();
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (full, relative) in files)
        {
            var fileMeta = new ArtifactMetadata(ArtifactKinds.File, relative, metadata.CreatedAt, metadata.ProducedBy);
            var stored = await store.PutFileAsync(full, fileMeta, ct);
            entries.Add(new DirectoryManifestEntry(relative, stored.Digest, stored.Size));
        }
        var manifest = ArtifactJson.Serialize(new DirectoryManifest(DirectoryManifest.CurrentFormat, entries));
        var properties = new Dictionary<string, string>(metadata.Properties) { ["content-type"] = DirectoryManifest.ContentType };
        return await store.PutAsync(new MemoryStream(manifest), metadata with { Properties = properties }, ct);
    }

    /// <summary>
    /// Recreates a directory artifact under <paramref name="targetDir"/>, verifying every file's digest. A file
    /// that fails verification is deleted before the <see cref="ArtifactCorruptException"/> propagates.
    /// </summary>
    public static async Task GetDirectoryAsync(this IArtifactStore store, string digest, string targetDir, CancellationToken ct = default)
    {
        var manifest = await store.ReadManifestAsync(digest, ct);
        var root = Path.GetFullPath(targetDir);
        foreach (var entry in manifest.Files)
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.Path));
            if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Directory artifact {digest} has a path outside its root: '{entry.Path}'.");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                await using var source = await store.OpenAsync(entry.Digest, ct);
                await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await source.CopyToAsync(file, ct);
            }
            catch
            {
                File.Delete(target);
                throw;
            }
        }
    }

    public static async Task<DirectoryManifest> ReadManifestAsync(this IArtifactStore store, string digest, CancellationToken ct = default)
    {
        await using var stream = await store.OpenAsync(digest, ct);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        var manifest = ArtifactJson.Deserialize<DirectoryManifest>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return manifest.Format == DirectoryManifest.CurrentFormat
            ? manifest
            : throw new InvalidDataException($"Artifact {digest} is not a directory manifest (format '{manifest.Format}').");
    }
}
