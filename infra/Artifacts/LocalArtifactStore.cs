using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Pipeline.Infra.Artifacts;

/// <summary>
/// The embedded default store: a directory tree.
/// <code>
/// ROOT/blobs/sha256/ab/cdef…        the bytes (digest sha256:abcdef…)
/// ROOT/blobs/sha256/ab/cdef….json   its ArtifactRecord (digest, size, metadata as first written)
/// ROOT/tmp/                         in-flight writes; never listed, safe to empty when no writer runs
/// </code>
/// Every file is written to ROOT/tmp, fsynced and renamed into place without overwriting (link(2) fails if the
/// target exists), so a crash leaves at most an orphan temp file, and two writers of the same bytes race harmlessly:
/// the first rename wins and the loser deletes its copy. The record is written after the blob: an artifact exists
/// once its record does, so a blob without a record (a crash in between) is invisible until a put completes it.
/// </summary>
public sealed class LocalArtifactStore(string rootDir) : IArtifactStore
{
    private readonly string _root = Path.GetFullPath(rootDir);

    private string BlobRoot => Path.Combine(_root, "blobs", "sha256");
    private string TempDir => Path.Combine(_root, "tmp");

    public async Task<ArtifactRef> PutAsync(Stream content, ArtifactMetadata metadata, CancellationToken ct = default)
    {
        Directory.CreateDirectory(TempDir);
        var temp = NewTempPath();
        string digest;
        long size;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
                size = file.Length;
                file.Flush(flushToDisk: true);
            }
            digest = ArtifactDigest.Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
            Directory.CreateDirectory(Path.GetDirectoryName(BlobPath(digest))!);
            MoveIfAbsent(temp, BlobPath(digest));
        }
        finally
        {
            File.Delete(temp);
        }

        if (!File.Exists(RecordPath(digest)))
        {
            var recordTemp = NewTempPath();
            try
            {
                await WriteDurablyAsync(recordTemp, ArtifactJson.Serialize(new ArtifactRecord(digest, size, metadata)), ct);
                MoveIfAbsent(recordTemp, RecordPath(digest));
            }
            finally
            {
                File.Delete(recordTemp);
            }
        }
        return (await StatAsync(digest, ct))!;
    }

    public async Task<Stream> OpenAsync(string digest, CancellationToken ct = default)
    {
        var record = await ReadRecordAsync(digest, ct) ?? throw new KeyNotFoundException($"Artifact {digest} is not stored in {_root}.");
        var file = new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return new VerifyingReadStream(file, digest, record.Size);
    }

    public async Task<ArtifactRef?> StatAsync(string digest, CancellationToken ct = default)
    {
        var record = await ReadRecordAsync(digest, ct);
        return record is null ? null : ToRef(record);
    }

    public async Task<ArtifactMetadata?> GetMetadataAsync(string digest, CancellationToken ct = default) =>
        (await ReadRecordAsync(digest, ct))?.Metadata;

    public async IAsyncEnumerable<ArtifactRef> ListAsync(string? kind = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (!Directory.Exists(BlobRoot))
        {
            yield break;
        }
        foreach (var path in Directory.EnumerateFiles(BlobRoot, "*.json", SearchOption.AllDirectories))
        {
            await using var json = File.OpenRead(path);
            var record = await ArtifactJson.DeserializeAsync<ArtifactRecord>(json, ct);
            if ((kind is null || record.Metadata.Kind == kind) && File.Exists(BlobPath(record.Digest)))
            {
                yield return ToRef(record);
            }
        }
    }

    private async Task<ArtifactRecord?> ReadRecordAsync(string digest, CancellationToken ct)
    {
        if (!ArtifactDigest.IsValid(digest))
        {
            throw new ArgumentException($"Not an artifact digest: '{digest}'.", nameof(digest));
        }
        if (!File.Exists(RecordPath(digest)) || !File.Exists(BlobPath(digest)))
        {
            return null;
        }
        await using var json = File.OpenRead(RecordPath(digest));
        return await ArtifactJson.DeserializeAsync<ArtifactRecord>(json, ct);
    }

    private ArtifactRef ToRef(ArtifactRecord r) => new(r.Digest, r.Size, r.Metadata.Kind, new Uri(BlobPath(r.Digest)));

    private string BlobPath(string digest)
    {
        var hex = digest[ArtifactDigest.Prefix.Length..];
        return Path.Combine(BlobRoot, hex[..2], hex[2..]);
    }

    private string RecordPath(string digest) => BlobPath(digest) + ".json";

    private string NewTempPath() => Path.Combine(TempDir, $"{Guid.NewGuid():N}.tmp");

    private static async Task WriteDurablyAsync(string path, byte[] bytes, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await file.WriteAsync(bytes, ct);
        file.Flush(flushToDisk: true);
    }

    // A blob or record is never overwritten: if the target exists (an earlier or concurrent put of the same bytes),
    // ours is discarded by the caller's finally.
    private static void MoveIfAbsent(string temp, string target)
    {
        if (File.Exists(target))
        {
            return;
        }
        try
        {
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
        }
    }
}
