using Amazon.S3;
using Amazon.S3.Model;

namespace Pipeline.Infra.Artifacts;

/// <summary>
/// Uploads one blob whose bytes are already hashed: a single PUT up to the multipart threshold, otherwise a
/// multipart upload that holds one part in memory at a time (so the SDK can rewind it on a retry) and is aborted
/// on failure. UseChunkEncoding is off on every request (see <see cref="DisableChunkEncodingHandler"/>).
/// </summary>
internal sealed class S3BlobUploader(IAmazonS3 client, S3ArtifactStoreOptions options, S3Calls calls)
{
    /// <summary>
    /// How many parts the most recent upload used (1 for a single PUT); a diagnostic that lets tests prove multipart
    /// happened (s3rver's ETags do not show it). Not meaningful under concurrent puts.
    /// </summary>
    public int LastPartCount { get; private set; }

    public static int PartCount(long size, S3ArtifactStoreOptions o) =>
        size <= o.MultipartThreshold ? 1 : (int)((size + o.PartSize - 1) / o.PartSize);

    /// <summary>Uploads <paramref name="size"/> bytes from <paramref name="source"/>, positioned at their start.</summary>
    public async Task UploadAsync(string key, Stream source, long size, CancellationToken ct)
    {
        LastPartCount = PartCount(size, options);
        if (LastPartCount == 1)
        {
            var put = new PutObjectRequest
            {
                BucketName = options.Bucket,
                Key = key,
                InputStream = source,
                AutoCloseStream = false,
                UseChunkEncoding = false,
                ContentType = "application/octet-stream",
            };
            await calls.RunAsync("PutObject", key, () => client.PutObjectAsync(put, ct), ct);
            return;
        }
        await UploadMultipartAsync(key, source, ct);
    }

    private async Task UploadMultipartAsync(string key, Stream source, CancellationToken ct)
    {
        var init = await calls.RunAsync("InitiateMultipartUpload", key, () => client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = options.Bucket, Key = key, ContentType = "application/octet-stream" }, ct), ct);
        try
        {
            var parts = new List<PartETag>();
            var buffer = new byte[options.PartSize];
            for (var number = 1; number <= LastPartCount; number++)
            {
                var length = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
                var part = new UploadPartRequest
                {
                    BucketName = options.Bucket,
                    Key = key,
                    UploadId = init.UploadId,
                    PartNumber = number,
                    PartSize = length,
                    InputStream = new MemoryStream(buffer, 0, length, writable: false),
                    UseChunkEncoding = false,
                };
                var response = await calls.RunAsync("UploadPart", key, () => client.UploadPartAsync(part, ct), ct);
                parts.Add(new PartETag(number, response.ETag));
            }
            await calls.RunAsync("CompleteMultipartUpload", key, () => client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = init.UploadId, PartETags = parts }, ct), ct);
        }
        catch
        {
            // Best effort: an unfinished upload costs storage until a lifecycle rule removes it.
            try
            {
                await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = init.UploadId }, CancellationToken.None);
            }
            catch (Exception)
            {
            }
            throw;
        }
    }
}
