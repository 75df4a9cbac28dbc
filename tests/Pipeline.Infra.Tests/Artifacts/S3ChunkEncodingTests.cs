using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Tests.Services;

namespace Pipeline.Infra.Tests.Artifacts;

/// <summary>
/// The aws-chunked pitfall: over http AWSSDK v4 frames upload bodies as aws-chunked and s3rver stores the framing as
/// the object. These tests read objects back with a plain HTTP GET (no SDK to undo anything) and compare sha256, so
/// they fail if <see cref="DisableChunkEncodingHandler"/> is taken out of the pipeline.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class S3ChunkEncodingTests(S3rverFixture s3)
{
    private static byte[] RandomBytes(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task PutAsync_SinglePart_RawObjectIsByteIdentical()
    {
        var options = await s3.CreateBucketAsync();
        using var store = new S3ArtifactStore(options);
        var bytes = RandomBytes(1 << 20, seed: 1);

        var put = await store.PutAsync(new MemoryStream(bytes), new ArtifactMetadata(ArtifactKinds.Dataset, "one", DateTimeOffset.UnixEpoch));

        Assert.Equal(1, store.Uploader.LastPartCount);
        Assert.Equal(Sha(bytes), Sha(await s3.GetRawAsync(options.Bucket, put.Uri.AbsolutePath.TrimStart('/'))));
    }

    [Fact]
    public async Task PutAsync_MultipartWithFiveMiBParts_RawObjectIsByteIdentical()
    {
        var options = await s3.CreateBucketAsync() with { PartSize = 5 * 1024 * 1024, MultipartThreshold = 5 * 1024 * 1024 };
        using var store = new S3ArtifactStore(options);
        var bytes = RandomBytes(12 * 1024 * 1024, seed: 2);

        var put = await store.PutAsync(new MemoryStream(bytes), new ArtifactMetadata(ArtifactKinds.Checkpoint, "big", DateTimeOffset.UnixEpoch));

        Assert.Equal(3, store.Uploader.LastPartCount);
        Assert.Equal(Sha(bytes), Sha(await s3.GetRawAsync(options.Bucket, put.Uri.AbsolutePath.TrimStart('/'))));
    }

    [Fact]
    public async Task PutObject_PipelineClientWithDefaultRequest_StoresExactBytes()
    {
        var options = await s3.CreateBucketAsync();
        using var client = PipelineS3Client.Create(options);
        var bytes = RandomBytes(100_000, seed: 3);

        // The request leaves UseChunkEncoding at its default, as TransferUtility's do: the handler must fix it.
        await client.PutObjectAsync(new PutObjectRequest { BucketName = options.Bucket, Key = "k", InputStream = new MemoryStream(bytes) });

        Assert.Equal(Sha(bytes), Sha(await s3.GetRawAsync(options.Bucket, "k")));
    }

    [Fact]
    public async Task PutObject_PlainClientWithoutTheFix_StoresCorruptedBytes()
    {
        // Negative control: proves the pitfall is real on this s3rver and SDK. If this starts failing, an upgrade
        // fixed it upstream; keep the handler anyway until real S3, MinIO and s3rver all agree.
        var options = await s3.CreateBucketAsync();
        var config = new AmazonS3Config { ServiceURL = options.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" };
        using var client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), config);
        var bytes = RandomBytes(100_000, seed: 4);

        await client.PutObjectAsync(new PutObjectRequest { BucketName = options.Bucket, Key = "k", InputStream = new MemoryStream(bytes) });

        var stored = await s3.GetRawAsync(options.Bucket, "k");
        Assert.NotEqual(Sha(bytes), Sha(stored));
        Assert.True(stored.Length > bytes.Length, $"expected chunk framing around the body, got {stored.Length} bytes for {bytes.Length}");
    }
}
