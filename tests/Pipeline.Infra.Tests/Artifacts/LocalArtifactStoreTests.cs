using System.Text;
using Pipeline.Infra.Artifacts;

namespace Pipeline.Infra.Tests.Artifacts;

public sealed class LocalArtifactStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("pipeline-artifacts-");
    private readonly LocalArtifactStore _store;

    public LocalArtifactStoreTests() => _store = new LocalArtifactStore(_root.FullName);

    public void Dispose() => _root.Delete(recursive: true);

    private static ArtifactMetadata Meta(string kind = ArtifactKinds.Dataset, string name = "d") =>
        new(kind, name, T0, "run-1", ["sha256:" + new string('0', 64)], new Dictionary<string, string> { ["rows"] = "3" });

    private static MemoryStream Bytes(string s) => new(Encoding.UTF8.GetBytes(s));

    private static async Task<string> ReadAllAsync(Stream s)
    {
        await using (s)
        {
            using var reader = new StreamReader(s);
            return await reader.ReadToEndAsync();
        }
    }

    [Fact]
    public async Task PutAsync_ThenOpenAndStat_RoundTripsBytesAndMetadata()
    {
        var put = await _store.PutAsync(Bytes("hello"), Meta());

        Assert.Equal(ArtifactDigest.Of("hello"u8), put.Digest);
        Assert.Equal(5, put.Size);
        Assert.Equal(ArtifactKinds.Dataset, put.Kind);
        var hex = put.Digest["sha256:".Length..];
        Assert.Equal(new Uri(Path.Combine(_root.FullName, "blobs", "sha256", hex[..2], hex[2..])), put.Uri);
        Assert.Equal("hello", await ReadAllAsync(await _store.OpenAsync(put.Digest)));
        Assert.Equal(put, await _store.StatAsync(put.Digest));
        var meta = await _store.GetMetadataAsync(put.Digest);
        Assert.Equal(("run-1", "3"), (meta!.ProducedBy, meta.Properties["rows"]));
        Assert.Equal(Meta().Inputs, meta.Inputs);
    }

    [Fact]
    public async Task PutAsync_SameBytesTwice_ReturnsSameRefAndDoesNotRewrite()
    {
        var first = await _store.PutAsync(Bytes("same"), Meta());
        var blob = new FileInfo(first.Uri.LocalPath);
        var written = blob.LastWriteTimeUtc;
        File.SetLastWriteTimeUtc(blob.FullName, written.AddHours(-1));

        var second = await _store.PutAsync(Bytes("same"), Meta());

        Assert.Equal(first, second);
        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(blob.FullName));
    }

    [Fact]
    public async Task PutAsync_SameBytesWithOtherMetadata_KeepsFirstMetadata()
    {
        var first = await _store.PutAsync(Bytes("x"), Meta(ArtifactKinds.Dataset, "first"));

        var second = await _store.PutAsync(Bytes("x"), Meta(ArtifactKinds.Model, "second"));

        Assert.Equal(ArtifactKinds.Dataset, second.Kind);
        Assert.Equal("first", (await _store.GetMetadataAsync(first.Digest))!.Name);
    }

    [Fact]
    public async Task PutAsync_ConcurrentSameBytes_AllGetOneIntactArtifact()
    {
        var payload = new string('p', 300_000);

        var refs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _store.PutAsync(Bytes(payload), Meta()))));

        Assert.Single(refs.Distinct());
        Assert.Equal(payload, await ReadAllAsync(await _store.OpenAsync(refs[0].Digest)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root.FullName, "tmp")));
    }

    [Fact]
    public async Task OpenAsync_BlobWithFlippedByte_ThrowsArtifactCorruptNamingDigest()
    {
        var put = await _store.PutAsync(Bytes("precious bytes"), Meta());
        var bytes = await File.ReadAllBytesAsync(put.Uri.LocalPath);
        bytes[3] ^= 0x01;
        await File.WriteAllBytesAsync(put.Uri.LocalPath, bytes);

        var ex = await Assert.ThrowsAsync<ArtifactCorruptException>(async () => await ReadAllAsync(await _store.OpenAsync(put.Digest)));

        Assert.Equal(put.Digest, ex.Digest);
        Assert.Contains(ArtifactDigest.Of(bytes), ex.Message);
    }

    [Fact]
    public async Task StatAsync_UnknownDigest_ReturnsNull() =>
        Assert.Null(await _store.StatAsync(ArtifactDigest.Of("never stored"u8)));

    [Fact]
    public async Task ListAsync_ByKind_ReturnsOnlyThatKind()
    {
        var data = await _store.PutAsync(Bytes("a"), Meta(ArtifactKinds.Dataset));
        var model = await _store.PutAsync(Bytes("b"), Meta(ArtifactKinds.Model));

        var models = await _store.ListAsync(ArtifactKinds.Model).ToListAsync();
        var all = await _store.ListAsync().ToListAsync();

        Assert.Equal([model], models);
        Assert.Equal(new[] { data, model }.OrderBy(r => r.Digest), all.OrderBy(r => r.Digest));
    }

    [Fact]
    public async Task ListAsync_LeftoverTempFilesFromACrash_AreNotArtifacts()
    {
        var digest = ArtifactDigest.Of("half written"u8);
        var hex = digest["sha256:".Length..];
        Directory.CreateDirectory(Path.Combine(_root.FullName, "tmp"));
        await File.WriteAllTextAsync(Path.Combine(_root.FullName, "tmp", "0123.tmp"), "half wri");
        // A crash between the blob's rename and the record's: the blob alone is not an artifact yet.
        Directory.CreateDirectory(Path.Combine(_root.FullName, "blobs", "sha256", hex[..2]));
        await File.WriteAllTextAsync(Path.Combine(_root.FullName, "blobs", "sha256", hex[..2], hex[2..]), "half written");

        Assert.Empty(await _store.ListAsync().ToListAsync());
        Assert.Null(await _store.StatAsync(digest));
        var completed = await _store.PutAsync(Bytes("half written"), Meta());
        Assert.Equal(digest, completed.Digest);
    }
}
