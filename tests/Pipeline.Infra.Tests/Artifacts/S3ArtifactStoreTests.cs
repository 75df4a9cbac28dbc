using System.IO.Pipelines;
using System.Text;
using Amazon.S3.Model;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Tests.Services;

namespace Pipeline.Infra.Tests.Artifacts;

[Collection(S3rverCollection.Name)]
public sealed class S3ArtifactStoreTests(S3rverFixture s3) : IAsyncLifetime
{
    private S3ArtifactStore _store = null!;
    private S3ArtifactStoreOptions _options = null!;

    public async Task InitializeAsync()
    {
        _options = await s3.CreateBucketAsync(prefix: "team/prod");
        _store = new S3ArtifactStore(_options);
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    private static ArtifactMetadata Meta(string kind = ArtifactKinds.Dataset, string name = "d") =>
        new(kind, name, DateTimeOffset.UnixEpoch, "run-9", [ArtifactDigest.Of("parent"u8)]);

    private static MemoryStream Bytes(string s) => new(Encoding.UTF8.GetBytes(s));

    private static async Task<byte[]> ReadAllAsync(Stream s)
    {
        await using (s)
        {
            var buffer = new MemoryStream();
            await s.CopyToAsync(buffer);
            return buffer.ToArray();
        }
    }

    [Fact]
    public async Task PutAsync_ThenOpenAndStat_RoundTripsBytesAndMetadata()
    {
        var put = await _store.PutAsync(Bytes("hello s3"), Meta());

        Assert.Equal(ArtifactDigest.Of("hello s3"u8), put.Digest);
        var hex = put.Digest["sha256:".Length..];
        Assert.Equal(new Uri($"s3://{_options.Bucket}/team/prod/blobs/sha256/{hex[..2]}/{hex[2..]}"), put.Uri);
        Assert.Equal("hello s3"u8.ToArray(), await ReadAllAsync(await _store.OpenAsync(put.Digest)));
        Assert.Equal(put, await _store.StatAsync(put.Digest));
        Assert.Equal(Meta().Inputs, (await _store.GetMetadataAsync(put.Digest))!.Inputs);
    }

    [Fact]
    public async Task PutAsync_NonSeekableStream_IsSpooledAndStored()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("streamed"));
        await pipe.Writer.CompleteAsync();

        var put = await _store.PutAsync(pipe.Reader.AsStream(), Meta());

        Assert.Equal(ArtifactDigest.Of("streamed"u8), put.Digest);
        Assert.Equal(8, put.Size);
    }

    [Fact]
    public async Task PutAsync_SameBytesWithOtherMetadata_ReturnsSameRefAndKeepsFirstMetadata()
    {
        var first = await _store.PutAsync(Bytes("once"), Meta(ArtifactKinds.Dataset, "first"));

        var second = await _store.PutAsync(Bytes("once"), Meta(ArtifactKinds.Model, "second"));

        Assert.Equal(first, second);
        Assert.Equal("first", (await _store.GetMetadataAsync(first.Digest))!.Name);
    }

    [Fact]
    public async Task OpenAsync_ObjectReplacedOnServer_ThrowsArtifactCorrupt()
    {
        var put = await _store.PutAsync(Bytes("original"), Meta());
        using var client = PipelineS3Client.Create(_options);
        var key = put.Uri.AbsolutePath.TrimStart('/');
        await client.PutObjectAsync(new PutObjectRequest { BucketName = _options.Bucket, Key = key, ContentBody = "tampered", UseChunkEncoding = false });

        var ex = await Assert.ThrowsAsync<ArtifactCorruptException>(async () => await ReadAllAsync(await _store.OpenAsync(put.Digest)));

        Assert.Equal(put.Digest, ex.Digest);
        Assert.Contains(ArtifactDigest.Of("tampered"u8), ex.Found);
    }

    [Fact]
    public async Task ListAsync_ByKind_ReturnsOnlyThatKind()
    {
        await _store.PutAsync(Bytes("l1"), Meta(ArtifactKinds.Adapter));
        var gate = await _store.PutAsync(Bytes("l2"), Meta(ArtifactKinds.GateDecision));

        Assert.Equal([gate], await _store.ListAsync(ArtifactKinds.GateDecision).ToListAsync());
    }

    [Fact]
    public async Task PutDirectoryAsync_ThenGetDirectoryAsync_RecreatesEveryFile()
    {
        var tmp = Directory.CreateTempSubdirectory("pipeline-s3-dir-");
        try
        {
            var source = Path.Combine(tmp.FullName, "src");
            Directory.CreateDirectory(Path.Combine(source, "sub"));
            await File.WriteAllTextAsync(Path.Combine(source, "a.json"), "{}");
            await File.WriteAllTextAsync(Path.Combine(source, "sub", "b.bin"), "bbb");

            var manifest = await _store.PutDirectoryAsync(source, Meta(ArtifactKinds.Adapter));
            await _store.GetDirectoryAsync(manifest.Digest, Path.Combine(tmp.FullName, "dst"));

            Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(tmp.FullName, "dst", "a.json")));
            Assert.Equal("bbb", await File.ReadAllTextAsync(Path.Combine(tmp.FullName, "dst", "sub", "b.bin")));
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }
}
