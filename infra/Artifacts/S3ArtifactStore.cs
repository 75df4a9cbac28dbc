using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Pipeline.Infra.Artifacts;

/// <summary>
/// The artifact store on S3 (or anything speaking its API). Same layout as <see cref="LocalArtifactStore"/>, under
/// the bucket's key prefix:
/// <code>
/// PREFIX/blobs/sha256/ab/cdef…        the bytes (digest sha256:abcdef…)
/// PREFIX/blobs/sha256/ab/cdef….json   its ArtifactRecord (digest, size, metadata as first written), a JSON object
/// </code>
/// Metadata lives in its own JSON object rather than in S3 object metadata so it has no 2 KB limit, reads the same as
/// the local store's, and can be written after the blob (the record is the commit point: no record, no artifact).
/// The digest is only known after reading the whole stream, so a non-seekable stream (or one not at position 0) is
/// first spooled to a temp file; a seekable one is hashed in place and rewound. An existing blob or record is never
/// written again (checked with HEAD; the record PUT also sends If-None-Match: * for servers that honour it).
/// </summary>
public sealed class S3ArtifactStore : IArtifactStore, IDisposable
{
    private readonly S3ArtifactStoreOptions _options;
    private readonly IAmazonS3 _client;
    private readonly S3Calls _calls;
    private readonly string _prefix;

    public S3ArtifactStore(S3ArtifactStoreOptions options)
    {
        options.Validate();
        _options = options;
        _client = PipelineS3Client.Create(options);
        _calls = new S3Calls(options);
        Uploader = new S3BlobUploader(_client, options, _calls);
        var trimmed = options.Prefix.Trim('/');
        _prefix = trimmed.Length == 0 ? "" : trimmed + "/";
    }

    internal S3BlobUploader Uploader { get; }

    public async Task<ArtifactRef> PutAsync(Stream content, ArtifactMetadata metadata, CancellationToken ct = default)
    {
        var spooled = content.CanSeek && content.Position == 0 ? null : await SpoolAsync(content, ct);
        var source = spooled ?? content;
        try
        {
            var digest = await ArtifactDigest.OfAsync(source, ct);
            var size = source.Position;
            var blobKey = BlobKey(digest);
            var blob = await _calls.ProbeAsync("HeadObject", blobKey, () => _client.GetObjectMetadataAsync(_options.Bucket, blobKey, ct), ct);
            if (blob is null)
            {
                source.Position = 0;
                await Uploader.UploadAsync(blobKey, source, size, ct);
            }
            return await StatAsync(digest, ct) ?? await PutRecordAsync(new ArtifactRecord(digest, size, metadata), ct);
        }
        finally
        {
            if (spooled is not null)
            {
                await spooled.DisposeAsync();
            }
        }
    }

    public async Task<Stream> OpenAsync(string digest, CancellationToken ct = default)
    {
        var record = await ReadRecordAsync(digest, ct) ?? throw new KeyNotFoundException($"Artifact {digest} is not stored in s3://{_options.Bucket}/{_prefix}.");
        var key = BlobKey(digest);
        var response = await _calls.RunAsync("GetObject", key, () => _client.GetObjectAsync(_options.Bucket, key, ct), ct);
        return new VerifyingReadStream(response.ResponseStream, digest, record.Size, response);
    }

    public async Task<ArtifactRef?> StatAsync(string digest, CancellationToken ct = default)
    {
        var record = await ReadRecordAsync(digest, ct);
        return record is null ? null : ToRef(record);
    }

    public async Task<ArtifactMetadata?> GetMetadataAsync(string digest, CancellationToken ct = default) =>
        (await ReadRecordAsync(digest, ct))?.Metadata;

    /// <summary>Lists the record objects under the prefix and reads each one: fine for thousands, not millions.</summary>
    public async IAsyncEnumerable<ArtifactRef> ListAsync(string? kind = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _prefix + "blobs/sha256/" };
        ListObjectsV2Response page;
        do
        {
            page = await _calls.RunAsync("ListObjectsV2", request.Prefix, () => _client.ListObjectsV2Async(request, ct), ct);
            foreach (var obj in page.S3Objects ?? [])
            {
                if (!obj.Key.EndsWith(".json", StringComparison.Ordinal))
                {
                    continue;
                }
                var record = await GetRecordAsync(obj.Key, ct);
                if (record is not null && (kind is null || record.Metadata.Kind == kind))
                {
                    yield return ToRef(record);
                }
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }

    public void Dispose() => _client.Dispose();

    private async Task<ArtifactRef> PutRecordAsync(ArtifactRecord record, CancellationToken ct)
    {
        var key = RecordKey(record.Digest);
        var put = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = key,
            InputStream = new MemoryStream(ArtifactJson.Serialize(record)),
            ContentType = "application/json",
            UseChunkEncoding = false,
            IfNoneMatch = "*",
        };
        try
        {
            await _calls.RunAsync("PutObject", key, () => _client.PutObjectAsync(put, ct), ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is System.Net.HttpStatusCode.PreconditionFailed or System.Net.HttpStatusCode.Conflict)
        {
            // A concurrent put of the same bytes wrote its record first; that one stands.
        }
        return (await StatAsync(record.Digest, ct))!;
    }

    private Task<ArtifactRecord?> ReadRecordAsync(string digest, CancellationToken ct) =>
        ArtifactDigest.IsValid(digest)
            ? GetRecordAsync(RecordKey(digest), ct)
            : throw new ArgumentException($"Not an artifact digest: '{digest}'.", nameof(digest));

    private async Task<ArtifactRecord?> GetRecordAsync(string key, CancellationToken ct)
    {
        using var response = await _calls.ProbeAsync("GetObject", key, () => _client.GetObjectAsync(_options.Bucket, key, ct), ct);
        return response is null ? null : await ArtifactJson.DeserializeAsync<ArtifactRecord>(response.ResponseStream, ct);
    }

    private static async Task<Stream> SpoolAsync(Stream content, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-s3-put-{Guid.NewGuid():N}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await content.CopyToAsync(file, ct);
        file.Position = 0;
        return file;
    }

    private ArtifactRef ToRef(ArtifactRecord r) => new(r.Digest, r.Size, r.Metadata.Kind, new Uri($"s3://{_options.Bucket}/{BlobKey(r.Digest)}"));

    private string BlobKey(string digest)
    {
        var hex = digest[ArtifactDigest.Prefix.Length..];
        return $"{_prefix}blobs/sha256/{hex[..2]}/{hex[2..]}";
    }

    private string RecordKey(string digest) => BlobKey(digest) + ".json";
}
