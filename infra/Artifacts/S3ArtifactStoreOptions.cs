namespace Pipeline.Infra.Artifacts;

/// <summary>Where and how <see cref="S3ArtifactStore"/> talks to S3 (AWS, MinIO, s3rver, …).</summary>
public sealed record S3ArtifactStoreOptions
{
    public const int MinPartSize = 5 * 1024 * 1024;

    /// <summary>Endpoint, e.g. "http://127.0.0.1:9000". Path-style addressing is always used. Required.</summary>
    public string ServiceUrl { get; init; } = "";

    /// <summary>The bucket; it must exist. Required.</summary>
    public string Bucket { get; init; } = "";

    /// <summary>Key prefix inside the bucket, e.g. "pipeline/prod"; "" (default) stores at the bucket root.</summary>
    public string Prefix { get; init; } = "";

    public string AccessKey { get; init; } = "";

    public string SecretKey { get; init; } = "";

    /// <summary>Region used to sign requests. Default "us-east-1".</summary>
    public string AuthenticationRegion { get; init; } = "us-east-1";

    /// <summary>Objects larger than this go up as a multipart upload. Default 64 MiB.</summary>
    public long MultipartThreshold { get; init; } = 64L * 1024 * 1024;

    /// <summary>Part size of a multipart upload; at least 5 MiB (S3's minimum). One part is held in memory. Default 16 MiB.</summary>
    public int PartSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>Retries per request (the SDK's standard retry mode, with backoff) before giving up. Default 4.</summary>
    public int MaxErrorRetry { get; init; } = 4;

    /// <summary>Per-request timeout. Default 5 minutes (a 16 MiB part on a slow link).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public void Validate()
    {
        if (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"ServiceUrl must be an absolute URL, got '{ServiceUrl}'.");
        }
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            throw new ArgumentException("Bucket is required.");
        }
        if (PartSize < MinPartSize)
        {
            throw new ArgumentException($"PartSize must be at least {MinPartSize} bytes (S3's minimum part), got {PartSize}.");
        }
        if (MultipartThreshold < PartSize)
        {
            throw new ArgumentException($"MultipartThreshold ({MultipartThreshold}) must be at least PartSize ({PartSize}).");
        }
        if (MaxErrorRetry < 0)
        {
            throw new ArgumentException($"MaxErrorRetry must be >= 0, got {MaxErrorRetry}.");
        }
    }
}
