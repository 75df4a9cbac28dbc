using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;

namespace Pipeline.Infra.Artifacts;

/// <summary>An S3 client whose uploads are never aws-chunked (see <see cref="DisableChunkEncodingHandler"/>).</summary>
internal sealed class PipelineS3Client(AWSCredentials credentials, AmazonS3Config config) : AmazonS3Client(credentials, config)
{
    public static PipelineS3Client Create(S3ArtifactStoreOptions o) => new(new BasicAWSCredentials(o.AccessKey, o.SecretKey), ConfigFor(o));

    public static AmazonS3Config ConfigFor(S3ArtifactStoreOptions o) => new()
    {
        ServiceURL = o.ServiceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = o.AuthenticationRegion,
        RetryMode = RequestRetryMode.Standard,
        MaxErrorRetry = o.MaxErrorRetry,
        Timeout = o.Timeout,
        // Integrity is our own sha256 end to end; SDK checksums only where S3 demands them.
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    };

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.AddHandlerBefore<Marshaller>(new DisableChunkEncodingHandler());
    }
}
