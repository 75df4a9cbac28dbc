using Pipeline.Infra.Artifacts;

namespace Pipeline.Infra.Datasets;

/// <summary>
/// The directory manifest a folder would get from <see cref="ArtifactStoreExtensions.PutDirectoryAsync"/>, computed
/// without storing anything, so a conflicting version is refused before a single blob is uploaded. It builds the
/// manifest the same way (ordinal '/' paths, <see cref="ArtifactJson"/>); the publisher checks the stored digest
/// against it, so a drift between the two (or a folder edited mid-publish) fails loudly instead of silently.
/// </summary>
internal sealed record DatasetFolder(string FilesDigest, int FileCount, long TotalBytes)
{
    public static async Task<DatasetFolder> HashAsync(string dir, CancellationToken ct)
    {
        var root = Path.GetFullPath(dir);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        var entries = new List<DirectoryManifestEntry>();
        foreach (var (full, relative) in files)
        {
            await using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            entries.Add(new DirectoryManifestEntry(relative, await ArtifactDigest.OfAsync(file, ct), file.Length));
        }
        var manifest = ArtifactJson.Serialize(new DirectoryManifest(DirectoryManifest.CurrentFormat, entries));
        return new DatasetFolder(ArtifactDigest.Of(manifest), entries.Count, entries.Sum(e => e.Size));
    }
}
